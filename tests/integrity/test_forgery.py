"""Forgeries by someone with write access to the database but not the evidence key: each is named.

The recipes are the ones filed in issue 10. Each runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import Connection, Engine, text

from tests.integrity.helpers import add_trainees, pass_quiz, start_and_answer
from training.cli import main
from training.evidence.seals import GENESIS, audit_hash, seal_attempt
from training.records import completion_hash


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _verify(engine: Engine, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["verify-records", "--database-url", _url(engine)])
    return code, capsys.readouterr().err


def _triggers_off(conn: Connection) -> None:
    """What an attacker with the owner's or a superuser's rights does first."""
    if conn.dialect.name == "postgresql":
        for table in ("answer", "completion", "audit_event", "attempt"):
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
    else:
        for name in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all():
            conn.execute(text(f"DROP TRIGGER {name}"))


@pytest.fixture
def records(engine: Engine, people, catalog):  # type: ignore[no-untyped-def]
    """Two trainees who passed, and one with an open attempt answered wrongly."""
    trainees = add_trainees(engine, people["admin"], people["north_trainee"].department_id, 3)
    for who in trainees[:2]:
        pass_quiz(engine, who, catalog)
    open_id = start_and_answer(engine, trainees[2], catalog, right=False)
    return engine, trainees, open_id


def test_untouched_records_verify_on_both_backends(records, capsys) -> None:  # type: ignore[no-untyped-def]
    engine, _, _ = records
    code, err = _verify(engine, capsys)
    assert code == 0, err  # the positive control: the checks below can pass


def test_open_attempt_forged_into_a_pass_is_named_without_touching_a_trigger(records, catalog,  # type: ignore[no-untyped-def]
                                                                            capsys) -> None:
    engine, trainees, open_id = records
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(text("UPDATE attempt SET status = 'submitted', submitted_at = :t, score = 100, passed = :p "
                          "WHERE id = :a"), {"t": now, "p": True, "a": open_id})
        for aq in conn.execute(text("SELECT * FROM attempt_question WHERE attempt_id = :a"), {"a": open_id}).mappings():
            right = sorted(o.id for o in catalog.questions[aq["question_id"]].options if o.correct)
            conn.execute(text("INSERT INTO answer (attempt_id, position, question_id, question_hash, option_order, "
                              "chosen, credit, correct) VALUES (:a, :p, :q, :h, :o, :c, 1.0, :t)"),
                         {"a": open_id, "p": aq["position"], "q": aq["question_id"], "h": aq["question_hash"],
                          "o": aq["option_order"], "c": json.dumps(right), "t": True})
        prev = conn.execute(text("SELECT row_hash FROM completion ORDER BY id DESC LIMIT 1")).scalar() or GENESIS
        version = catalog.modules["sample-module"].version_hash
        fields = dict(officer_id=trainees[2].officer_id, module_id="sample-module", module_version_hash=version,
                      quiz_id="sample-quiz", attempt_id=open_id, score=100.0, completed_at=now, cycle="2027",
                      verification_code="FAKE-FAKE-FAKE")
        conn.execute(text("INSERT INTO completion (officer_id, department_id, module_id, module_version_hash, quiz_id, "
                          "attempt_id, score, completed_at, cycle, verification_code, prev_hash, row_hash) VALUES "
                          "(:officer_id, :d, :module_id, :module_version_hash, :quiz_id, :attempt_id, :score, "
                          ":completed_at, :cycle, :verification_code, :prev, :row)"),
                     {**fields, "d": trainees[2].department_id, "prev": prev, "row": completion_hash(prev, **fields)})
    code, err = _verify(engine, capsys)
    assert code == 1
    assert f"attempt row {open_id}: it has no seal" in err
    assert "completion row 3: it has no seal" in err
    assert f"attempt row {open_id}: it is submitted, but the audit log has no quiz.submit" in err


def test_rewritten_passed_attempt_with_deleted_audit_rows_and_recomputed_chains_is_named(  # type: ignore[no-untyped-def]
        records, catalog, capsys) -> None:
    engine, _, _ = records
    with engine.begin() as conn:
        _triggers_off(conn)
        # Attempt 1 passed; rewrite one answer to a wrong choice and the score to match, so it re-grades "right".
        ans = conn.execute(text("SELECT * FROM answer WHERE attempt_id = 1 ORDER BY position LIMIT 1")).mappings().one()
        wrong = [o.id for o in catalog.questions[ans["question_id"]].options if not o.correct][:1]
        conn.execute(text("UPDATE answer SET chosen = :c, credit = 0, correct = :f WHERE id = :i"),
                     {"c": json.dumps(wrong), "f": False, "i": ans["id"]})
        conn.execute(text("UPDATE attempt SET score = 75 WHERE id = 1"))
        conn.execute(text("UPDATE completion SET score = 75 WHERE attempt_id = 1"))
        _recompute_completion_chain(conn)
        # Delete audit events from the middle, then recompute the audit chain so it links up again.
        conn.execute(text("DELETE FROM audit_event WHERE action = 'quiz.submit' AND target_id = '1'"))
        first_recomputed = _recompute_audit_chain(conn)
    code, err = _verify(engine, capsys)
    assert code == 1
    assert "attempt row 1: its seal does not verify" in err
    assert "completion row 1: its seal does not verify" in err
    assert f"audit_event row {first_recomputed}: its seal does not verify" in err


def test_a_wrong_score_is_named_by_re_grading_even_when_sealed(records, capsys) -> None:  # type: ignore[no-untyped-def]
    """Re-grading does not lean on the seal: a wrong score the application itself sealed is still named."""
    engine, _, _ = records
    with engine.begin() as conn:
        _triggers_off(conn)
        att = dict(conn.execute(text("SELECT * FROM attempt WHERE id = 2")).mappings().one())
        answers = [dict(a) for a in conn.execute(text("SELECT * FROM answer WHERE attempt_id = 2")).mappings()]
        att["score"] = 90.0
        conn.execute(text("UPDATE attempt SET score = 90, key_id = :key_id, seal = :seal WHERE id = 2"),
                     seal_attempt(att, answers))
    code, err = _verify(engine, capsys)
    assert code == 1
    assert "attempt row 2: re-graded from its answers it scores 100.0 (pass at 80), but 90.0 (pass) is stored" in err
    assert "attempt row 2: its seal" not in err


def test_checkpoint_names_a_truncated_audit_log_and_a_recomputed_chain(records, capsys) -> None:  # type: ignore[no-untyped-def]
    engine, _, _ = records
    assert main(["checkpoint", "--database-url", _url(engine)]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["verify-checkpoint", token, "--database-url", _url(engine)]) == 0
    with engine.begin() as conn:
        _triggers_off(conn)
        newest = conn.execute(text("SELECT MAX(id) FROM audit_event")).scalar_one()
        conn.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": newest})
        conn.execute(text("UPDATE completion SET cycle = '1999' WHERE id = 1"))
        _recompute_completion_chain(conn)
    assert main(["verify-checkpoint", token, "--database-url", _url(engine)]) == 1
    err = capsys.readouterr().err
    assert "audit_event: " in err and "rows were deleted" in err
    assert "completion: row 2 of the chain no longer has the checkpoint's hash" in err
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    assert main(["verify-checkpoint", forged, "--database-url", _url(engine)]) == 1
    assert "signature does not verify" in capsys.readouterr().err


def _recompute_completion_chain(conn: Connection) -> None:
    prev = GENESIS
    for c in conn.execute(text("SELECT * FROM completion ORDER BY id")).mappings().all():
        row = completion_hash(prev, officer_id=c["officer_id"], module_id=c["module_id"],
                              module_version_hash=c["module_version_hash"], quiz_id=c["quiz_id"],
                              attempt_id=c["attempt_id"], score=c["score"],
                              completed_at=_dt(c["completed_at"]), cycle=c["cycle"],
                              verification_code=c["verification_code"])
        conn.execute(text("UPDATE completion SET prev_hash = :p, row_hash = :r WHERE id = :i"),
                     {"p": prev, "r": row, "i": c["id"]})
        prev = row


def _recompute_audit_chain(conn: Connection) -> int:
    """Relink the audit chain with the public hash function; returns the first row whose hash changed."""
    prev, first_changed = GENESIS, 0
    for e in conn.execute(text("SELECT * FROM audit_event WHERE row_hash IS NOT NULL ORDER BY id")).mappings().all():
        row = audit_hash(prev, e)
        if row != e["row_hash"] and not first_changed:
            first_changed = e["id"]
        conn.execute(text("UPDATE audit_event SET prev_hash = :p, row_hash = :r WHERE id = :i"),
                     {"p": prev, "r": row, "i": e["id"]})
        prev = row
    return first_changed


def _dt(value: object) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]
