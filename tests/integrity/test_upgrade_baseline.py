"""An installation upgraded to keyed evidence keeps verifying: rows written before the keys are listed
in a signed baseline; a baseline moved to cover later, unsealed rows is named."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from db.engine import make_engine, read_session
from db.migrate import upgrade
from training.integrity import verify_records

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
