"""The start-up probe (db/boot.py): it says "an administrator exists" only for a SQLite file at
the latest migration that holds an officer; every other case goes the normal way, which migrates."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from db.boot import admin_exists
from db.engine import make_engine, write_session
from db.migrate import alembic_config, upgrade
from tests.conftest import PASSWORD, ROOT
from training.evidence.keys import load_keyring
from training.identity.setup import create_first_admin
from training.settings import Settings


def _database(folder: Path, *, admin: bool, revision: str = "head") -> str:
    url = f"sqlite:///{folder / 'app.db'}"
    engine = make_engine(url)
    upgrade(engine, revision)
    if admin:
        with write_session(engine) as s:
            create_first_admin(session=s, name="Ada Admin", email="ada@state.example", badge_number="S-1",
                               password=PASSWORD, settings=Settings())
    engine.dispose()
    return url


def test_a_current_database_with_an_administrator_is_recognised(tmp_path: Path) -> None:
    assert admin_exists(_database(tmp_path, admin=True)) is True


def test_a_current_database_without_an_officer_is_left_to_the_normal_path(tmp_path: Path) -> None:
    assert admin_exists(_database(tmp_path, admin=False)) is False


def test_a_database_one_migration_behind_is_left_to_the_normal_path(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_revision(script.get_current_head())
    assert head is not None and isinstance(head.down_revision, str)
    assert admin_exists(_database(tmp_path, admin=False, revision=head.down_revision)) is False


@pytest.mark.parametrize("url", [
    "sqlite:///{folder}/missing.db",  # a first start: nothing there yet
    "sqlite:///{folder}/empty.db",  # an empty file: no tables
    "sqlite:///{folder}/app.db?timeout=5",  # options the probe does not interpret
    "sqlite://",  # in memory
    "postgresql+psycopg://app@127.0.0.1/fipp",  # PostgreSQL always takes the normal path
])
def test_anything_else_is_left_to_the_normal_path(tmp_path: Path, url: str) -> None:
    (tmp_path / "empty.db").touch()
    assert admin_exists(url.format(folder=tmp_path)) is False


# The signed-out first page after a restart loads no SQLAlchemy; a visitor with a session cookie
# (here: the token AppTest seeds in its place) still has it checked through the data layer.
_PROBE = textwrap.dedent("""
    import sys
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(sys.argv[1], default_timeout=60)
    if sys.argv[2]:
        at.session_state["auth.token"] = sys.argv[2]
    at.run()
    assert not at.exception, at.exception
    keys = {w.key for w in at.text_input}
    print("form" if "login.user" in keys else "no form", "sqlalchemy" in sys.modules)
""")


def _first_page(url: str, token: str = "") -> str:
    load_keyring(create=True)  # the key a previous start made (a first start takes the normal path)
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-c", _PROBE, str(ROOT / "streamlit_app.py"), token], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_the_sign_in_form_after_a_restart_loads_no_sqlalchemy(tmp_path: Path) -> None:
    url = _database(tmp_path, admin=True)
    assert _first_page(url) == "form False"
    # Positive control: a visitor with a session token goes through the data layer (and, its
    # token being unknown, still meets the sign-in form).
    assert _first_page(url, token="not-a-real-session-token") == "form True"
