"""`python -m training verify-records` catches records changed behind the application's back."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import Engine, text

from tests.conftest import ROOT
from tests.integrity.helpers import add_trainees, pass_quiz
from training.cli import main


@pytest.fixture
def five_completions(engine: Engine, people, catalog) -> Engine:  # type: ignore[no-untyped-def]
    for who in add_trainees(engine, people["admin"], people["north_trainee"].department_id, 5):
        pass_quiz(engine, who, catalog)
    return engine


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _behind_the_apps_back(engine: Engine, sql: str, table: str = "completion") -> None:
    """Run sql with the append-only triggers of table switched off, as an attacker with a SQL prompt would."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            conn.execute(text(sql))
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            for verb in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))
            conn.execute(text(sql))


def test_untouched_records_verify(five_completions: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-records", "--database-url", _url(five_completions)]) == 0
    out = capsys.readouterr().out
    assert "completions: 5" in out
    assert "records verified" in out


def test_the_triggers_refuse_the_edit_while_they_are_on(five_completions: Engine) -> None:
    with pytest.raises(Exception, match="append-only"), five_completions.begin() as conn:
        conn.execute(text("UPDATE completion SET score = 100 WHERE id = 3"))


def test_an_edited_score_is_named_as_the_first_broken_row(five_completions: Engine,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _behind_the_apps_back(five_completions, "UPDATE completion SET score = 55 WHERE id = 3")
    assert main(["verify-records", "--database-url", _url(five_completions)]) == 1
    err = capsys.readouterr().err
    assert "FIRST BROKEN ROW: completion row 3: hash chain broken" in err
    assert "the row was edited" in err


def test_a_row_deleted_from_the_middle_breaks_the_chain_at_the_next_row(five_completions: Engine,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _behind_the_apps_back(five_completions, "DELETE FROM completion WHERE id = 3")
    assert main(["verify-records", "--database-url", _url(five_completions)]) == 1
    err = capsys.readouterr().err
    assert "FIRST BROKEN ROW: completion row 4: hash chain broken" in err
    assert "inserted, deleted or reordered" in err


def test_deleting_the_newest_row_is_caught_by_its_passed_attempt(five_completions: Engine,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _behind_the_apps_back(five_completions, "DELETE FROM completion WHERE id = 5")
    assert main(["verify-records", "--database-url", _url(five_completions)]) == 1
    assert "it was passed but has no completion" in capsys.readouterr().err


def test_a_deleted_answer_shows_as_a_half_written_attempt(five_completions: Engine,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _behind_the_apps_back(five_completions, "DELETE FROM answer WHERE id = 7", table="answer")
    assert main(["verify-records", "--database-url", _url(five_completions)]) == 1
    assert "half-written: 3 answers for 4 questions drawn" in capsys.readouterr().err


def test_an_answer_whose_question_text_is_gone_is_named(five_completions: Engine,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _behind_the_apps_back(five_completions, "UPDATE answer SET question_hash = 'feedface' WHERE id = 2",
                          table="answer")
    assert main(["verify-records", "--database-url", _url(five_completions)]) == 1
    assert "answer row 2: its question version feedface is not stored" in capsys.readouterr().err


def test_the_command_exits_non_zero_from_the_shell(five_completions: Engine) -> None:
    _behind_the_apps_back(five_completions, "UPDATE completion SET cycle = '1999' WHERE id = 2")
    done = subprocess.run([sys.executable, "-m", "training", "verify-records", "--database-url", _url(five_completions)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "completion row 2" in done.stderr
