"""The audit log reader: filters, newest first, keyset pages that never load the whole table."""

from datetime import date

from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import AuditEvent
from db.queries.audit import AuditFilter, audit_actions, audit_page
from training.audit import record_event


def _seed(engine, people):
    with write_session(engine) as s:
        for i in range(7):
            record_event(session=s, action="test.poke", actor_id=people["north_supervisor"].officer_id,
                         department_id=people["north_supervisor"].department_id, n=i)
        record_event(session=s, action="test.other", actor_id=people["admin"].officer_id, n=99)


def _page(engine, **kw):
    before_id = kw.pop("before_id", None)
    with read_session(engine) as s:
        return audit_page(session=s, where=AuditFilter(**kw), before_id=before_id, page_size=3)


def test_pages_run_newest_first_and_end(engine, people):
    _seed(engine, people)
    seen, before = [], None
    while True:
        page = _page(engine, action="test.poke", before_id=before)
        seen += [r.id for r in page.rows]
        if page.next_before_id is None:
            break
        before = page.next_before_id
    assert len(seen) == 7 and seen == sorted(seen, reverse=True)


def test_filters_by_actor_badge_action_prefix_and_department(engine, people):
    _seed(engine, people)
    assert {r.action for r in _page(engine, actor="north-supervisor").rows} == {"test.poke"}
    assert _page(engine, actor="ADMIN@example.org", action="test.").rows[0].action == "test.other"
    south = people["south_trainee"].department_id
    assert _page(engine, department_id=south, action="test.").rows == ()


def test_filters_by_date_range_inclusive(engine, people):
    _seed(engine, people)
    # The dates the events were stamped with, not the clock now: a run across midnight UTC
    # would otherwise look for today's events among yesterday's.
    with read_session(engine) as s:
        first, last = s.execute(select(func.min(AuditEvent.at), func.max(AuditEvent.at))
                                .where(AuditEvent.action == "test.poke")).one()
    assert len(_page(engine, action="test.poke", since=first.date(), until=last.date()).rows) == 3
    assert _page(engine, action="test.poke", until=date(2000, 1, 1)).rows == ()


def test_actions_lists_each_recorded_action_once(engine, people):
    _seed(engine, people)
    with read_session(engine) as s:
        actions = audit_actions(session=s)
    assert actions.count("test.poke") == 1 and "account.create" in actions
