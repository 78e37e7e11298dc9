"""The audit log in words (training/audit_log.py): names not ids, every action covered, administrators only."""

from __future__ import annotations

import re

import pytest

from db.engine import read_session, write_session
from db.queries.audit import AuditFilter
from tests.conftest import ROOT
from training.administration.officers import change_department, change_role
from training.audit import record_event
from training.audit_log import SENTENCES, read_audit_log
from training.errors import NotAllowed

ACTION = re.compile(r"""(?:record_event\(\s*session=\w+,\s*action=|record_event_raw\(\s*\w+,\s*action=|_audit_officer\(session, actor, )"([a-z_]+(?:\.[a-z_]+)?)"(?: if \w+ else "([a-z_.]+)")?""")


def _log(engine, who, **where):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return read_audit_log(session=s, actor=who, where=AuditFilter(**where)).entries


def test_a_role_change_reads_who_changed_whose_role_to_what_by_name(engine, people):
    with write_session(engine) as s:
        change_role(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                          role="supervisor")
        change_department(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                                department_id=people["south_trainee"].department_id)
    moved, changed = _log(engine, people["admin"], action="account.")[:2]
    assert changed.sentence == ("Ada Admin (A1) changed the role of north trainee (north-trainee): "
                                "role from 'trainee' to 'supervisor'.")
    assert moved.sentence == ("Ada Admin (A1) moved north trainee (north-trainee): "
                              "department from North Police to South Police.")
    assert '"after": "supervisor"' in changed.detail  # the raw record is kept beside the sentence


def test_only_administrators_read_the_audit_log(engine, people):
    assert _log(engine, people["admin"])  # positive control: the same call returns events for an admin
    for role in ("north_supervisor", "north_trainee"):
        with pytest.raises(NotAllowed):
            _log(engine, people[role])


def test_every_action_recorded_in_the_code_base_has_a_sentence():
    found = set()
    for path in [*ROOT.glob("training/**/*.py"), *ROOT.glob("app_pages/**/*.py"), *ROOT.glob("webserver/**/*.py")]:
        for m in ACTION.finditer(path.read_text(encoding="utf-8")):
            found.update(a for a in m.groups() if a)
    assert {"account.role_change", "signin.success", "signout", "quiz.submit"} <= found  # the scan works
    missing = sorted(found - set(SENTENCES))
    assert not missing, f"add a sentence to training/audit_log.py SENTENCES for: {missing}"


def test_an_unknown_action_or_odd_detail_still_reads_as_words(engine, people):
    oid = people["north_trainee"].officer_id
    with write_session(engine) as s:
        record_event(session=s, action="future.thing", actor_id=people["admin"].officer_id, target_type="officer",
                     target_id=oid)
        record_event(session=s, action="quiz.submit", target_type="attempt", target_id=9, score="n/a")
    odd, unknown = _log(engine, people["admin"])[:2]
    assert unknown.sentence == "Ada Admin (A1) recorded 'future.thing' for officer north trainee (north-trainee)."
    assert odd.sentence == "The system submitted the quiz (unnamed): no score, not passed."
