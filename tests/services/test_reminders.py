"""Reminders reach a real (local) SMTP server, once a day per officer and once a week per supervisor."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from sqlmodel import select

from db.engine import read_session, write_session
from db.models import AuditEvent, ReminderSent
from training.administration.assignments import assign_module
from training.administration.reminders import Reminder, plan_reminders, send_reminders
from training.mail import SmtpSettings, build_message, send_mail

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

TODAY = date(2027, 3, 10)  # a Wednesday
MODULE = "sample-module"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler API
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, SmtpSettings]]:
    inbox = Inbox()
    port = _free_port()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpSettings(host="127.0.0.1", port=port, sender="fipp@example.org", tls="none")
    finally:
        controller.stop()


def _assign(engine, people, catalog, *, due: date, cycle: str = "2027") -> None:
    with write_session(engine) as s:
        assign_module(session=s, actor=people["admin"], catalog=catalog, module_id=MODULE, due_date=due,
                      cycle=cycle, department_id=people["north_trainee"].department_id, today=due - timedelta(days=60))


def _run(engine, catalog, settings: SmtpSettings, today: date):
    return send_reminders(engine=engine, catalog=catalog, today=today, app_url="https://fipp.example.org",
                          send=lambda r: send_mail(settings=settings, to=r.to, subject=r.subject, body=r.body))


def test_overdue_work_reaches_the_officer_and_the_supervisor_once_a_day(engine, people, catalog, smtp):
    inbox, settings = smtp
    _assign(engine, people, catalog, due=TODAY - timedelta(days=2))
    first = _run(engine, catalog, settings, TODAY)
    trainee = inbox.to("trainee@north.example.org")
    assert len(trainee) == 1 and "overdue" in trainee[0]["Subject"]
    assert "Sample module for tests (cycle 2027): OVERDUE" in trainee[0].get_payload()
    [digest] = inbox.to("supervisor@north.example.org")[-1:]
    assert "weekly summary for North Police" in digest["Subject"] and "north trainee" in digest.get_payload()
    assert first.sent == len(inbox.messages) and first.failed == 0
    again = _run(engine, catalog, settings, TODAY)
    assert again.sent == 0 and again.already_sent == first.planned and len(inbox.messages) == first.sent
    with read_session(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "reminder.sent")).all()
    assert len(events) == first.sent and json.loads(events[0].detail)["period"]


def test_the_next_day_reminds_again_but_the_weekly_digest_waits_for_next_week(engine, people, catalog, smtp):
    inbox, settings = smtp
    _assign(engine, people, catalog, due=TODAY - timedelta(days=2))
    _run(engine, catalog, settings, TODAY)
    _run(engine, catalog, settings, TODAY + timedelta(days=1))
    assert len(inbox.to("trainee@north.example.org")) == 2
    assert len([m for m in inbox.to("supervisor@north.example.org") if "weekly" in m["Subject"]]) == 1
    _run(engine, catalog, settings, TODAY + timedelta(days=7))
    assert len([m for m in inbox.to("supervisor@north.example.org") if "weekly" in m["Subject"]]) == 2


def test_work_due_later_than_the_horizon_or_passed_in_its_cycle_is_not_reminded(engine, people, catalog):
    _assign(engine, people, catalog, due=TODAY + timedelta(days=30))
    with read_session(engine) as s:
        later = plan_reminders(session=s, catalog=catalog, today=TODAY, days_ahead=7)
        soon = plan_reminders(session=s, catalog=catalog, today=TODAY, days_ahead=30)
    assert not [r for r in later if r.kind == "due"]
    assert {r.to for r in soon if r.kind == "due"} == {"trainee@north.example.org", "supervisor@north.example.org"}


def test_a_failed_send_releases_its_claim_so_the_next_run_retries(engine, people, catalog, smtp):
    inbox, settings = smtp
    _assign(engine, people, catalog, due=TODAY - timedelta(days=1))

    def broken(r: Reminder) -> None:
        raise ConnectionRefusedError("smtp down")

    failed = send_reminders(engine=engine, catalog=catalog, today=TODAY, send=broken)
    assert failed.failed == failed.planned > 0 and failed.sent == 0
    with read_session(engine) as s:
        assert s.exec(select(ReminderSent)).all() == []
    retried = _run(engine, catalog, settings, TODAY)
    assert retried.sent == failed.planned and len(inbox.messages) == failed.planned


def test_a_header_injection_in_a_subject_is_refused():
    with pytest.raises(ValueError, match="Header injection"):
        build_message(sender="a@example.org", to="b@example.org", subject="Hi\nBcc: x@example.org", body="")
