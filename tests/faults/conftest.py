"""Fault tests: real processes killed and run side by side. Select them with `-m faults`."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: kills or races real processes against one database")


from tests.integrity.conftest import pg_engine, sqlite_engine  # noqa: E402,F401 - the same one-backend engines
