"""Anyone can check a certificate by its code; a wrong or tampered code gives the same answer."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from db.engine import read_session
from db.models import Completion
from tests.integrity.helpers import add_trainees, pass_quiz
from training.cli import main
from training.evidence.public import NOT_VALID, RateLimiter, check_certificate, normalise_code
from training.records import _row_hash

TITLES = {"sample-module": "Sample module"}


@pytest.fixture
def code(engine: Engine, people, catalog) -> str:  # type: ignore[no-untyped-def]
    who = add_trainees(engine, people["admin"], people["north_trainee"].department_id, 1)[0]
    pass_quiz(engine, who, catalog)
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT verification_code FROM completion")).scalar_one())


def _check(engine: Engine, code: str) -> list[str]:
    with read_session(engine) as s:
        return check_certificate(session=s, code=code, module_titles=TITLES).lines()


def test_a_real_code_shows_exactly_the_public_fields(engine: Engine, code: str) -> None:
    lines = _check(engine, code.lower().replace("-", " "))  # as typed from paper
    assert lines[0] == "Valid certificate"
    assert [line.split(":")[0] for line in lines[1:]] == ["Name", "Department", "Module", "Module version", "Cycle",
                                                           "Date", "Score"]
    assert "Name: Trainee t0" in lines and "Department: North Police" in lines and "Score: 100%" in lines


def test_wrong_malformed_and_tampered_codes_all_get_the_same_answer(engine: Engine, code: str) -> None:
    other = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert _check(engine, other) == [NOT_VALID]
    assert _check(engine, "'; DROP TABLE completion; --") == [NOT_VALID]
    with engine.begin() as conn:  # an insider edits the completion and fixes up its chain hash: no key, no seal
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE completion DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER completion_no_update"))
        conn.execute(text("UPDATE completion SET score = 99"))
    with read_session(engine) as s:
        c = s.exec(select(Completion)).one()
        new_hash = _row_hash(c)
    with engine.begin() as conn:
        conn.execute(text("UPDATE completion SET row_hash = :h"), {"h": new_hash})
    assert _check(engine, code) == [NOT_VALID]


def test_the_command_line_check_exits_by_validity(engine: Engine, code: str, capsys) -> None:  # type: ignore[no-untyped-def]
    url = engine.url.render_as_string(hide_password=False)
    assert main(["verify-certificate", code, "--database-url", url]) == 0
    assert "Valid certificate" in capsys.readouterr().out
    assert main(["verify-certificate", "AAAA-BBBB-CCCC", "--database-url", url]) == 1
    assert NOT_VALID in capsys.readouterr().out


def test_codes_are_normalised_and_anything_else_is_refused() -> None:
    assert normalise_code(" abcd efgh jkmn ") == "ABCD-EFGH-JKMN"
    assert normalise_code("ABCD-EFGH-JKM0") is None  # 0 is not in the alphabet
    assert normalise_code("x" * 10_000) is None


def test_the_rate_limit_counts_per_client_in_a_sliding_window() -> None:
    limiter = RateLimiter(limit=3, window=60)
    assert [limiter.allow("1.2.3.4", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow("5.6.7.8", now=3)  # another client is not held back
    assert limiter.allow("1.2.3.4", now=61)  # the first check has left the window
