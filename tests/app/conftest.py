"""AppTest helpers: run one page script (or the router) against the test database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from app_pages import common
from db.engine import write_session
from tests.conftest import FIXTURE_CONTENT, ROOT
from training.identity.principal import Principal
from training.identity.sessions import open_session

RunPage = Callable[..., AppTest]


@pytest.fixture
def app_env(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """Point the app's cached engine and catalog at the test database and fixture content."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("FIPP_CONTENT_ROOT", str(FIXTURE_CONTENT))
    st.cache_resource.clear()
    yield engine
    st.cache_resource.clear()


def session_token_for(engine: Engine, who: Principal) -> str:
    """A real session for who, as the cookie would carry it (AppTest cannot send cookies)."""
    with write_session(engine) as s:
        token, _ = open_session(session=s, officer_id=who.officer_id)
    return token


@pytest.fixture
def run_page(app_env: Engine) -> RunPage:
    """run_page("app_pages/x.py", principal) -> AppTest after one run, signed in as principal."""

    def run(path: str, who: Principal | None = None, **state: object) -> AppTest:
        at = AppTest.from_file(str(ROOT / path), default_timeout=30)
        if who is not None:
            at.session_state[common.PRINCIPAL] = who
            at.session_state[common.SESSION_TOKEN] = session_token_for(app_env, who)
        for key, value in state.items():
            at.session_state[key] = value
        return at.run()

    return run
