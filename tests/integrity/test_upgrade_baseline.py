"""An installation upgraded to keyed evidence keeps verifying: rows written before the keys are listed
in a signed baseline; a baseline moved to cover later, unsealed rows is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db.engine import make_engine, read_session
from db.migrate import upgrade
from training.evidence.integrity import verify_records

BEFORE_KEYS = "0013_totp"


def test_rows_from_before_the_keys_verify_and_a_moved_baseline_is_named(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, BEFORE_KEYS)
    with engine.begin() as conn:  # what an older version wrote: an audit event with no chain or seal
        conn.execute(text("INSERT INTO audit_event (at, action, detail) VALUES ('2026-01-05 10:00:00', "
                          "'department.create', '{}')"))
    upgrade(engine)
    with read_session(engine) as s:
        report = verify_records(session=s)
    assert report.ok, report.findings
    with engine.begin() as conn:  # an insider adds an unsealed event...
        conn.execute(text("INSERT INTO audit_event (at, action, detail) VALUES ('2026-01-06 10:00:00', "
                          "'account.create', '{}')"))
    with read_session(engine) as s:
        assert [str(f) for f in verify_records(session=s).findings] == [
            "audit_event row 2: it is not chained (not written by the application)"]
    with engine.begin() as conn:  # ...and moves the baseline over it
        conn.execute(text("DROP TRIGGER evidence_baseline_no_update"))
        conn.execute(text("UPDATE evidence_baseline SET audit_max_id = 2"))
    with read_session(engine) as s:
        reasons = [str(f) for f in verify_records(session=s).findings]
    assert "evidence_baseline row 1: its seal does not verify (it was moved)" in reasons
    assert "audit_event row 2: it is not chained (not written by the application)" in reasons
    engine.dispose()


def test_a_lost_key_stops_the_start_instead_of_making_a_new_one(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from training.evidence.keys import KeyUnavailable
    from training.evidence.seals import ensure_evidence_key

    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    monkeypatch.setenv("FIPP_EVIDENCE_KEY_FILE", str(tmp_path / "first.key"))
    upgrade(engine)  # the first start makes the key (the migration signs its baseline with it)
    with read_session(engine) as s:
        assert ensure_evidence_key(s).signer.key_id  # the control: with its key the start goes on
    with engine.begin() as conn:
        from sqlmodel import Session

        from training.audit import record_event

        record_event(session=Session(bind=conn), action="department.create")
    monkeypatch.setenv("FIPP_EVIDENCE_KEY_FILE", str(tmp_path / "lost.key"))
    with read_session(engine) as s, pytest.raises(KeyUnavailable, match="restore the evidence key"):
        ensure_evidence_key(s)
    assert not (tmp_path / "lost.key").exists()
    engine.dispose()
