"""Fault tests: real processes killed and run side by side. Select them with `-m faults`."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: kills or races real processes against one database")
