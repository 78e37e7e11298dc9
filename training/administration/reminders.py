"""Reminder emails: each officer's work due soon or overdue, and each supervisor's weekly digest.

Rules a supervisor may ask about:
- An officer is reminded of every module assigned to them or their department (an active
  assignment) that they have not passed in the assignment's cycle and whose due date is
  within the next N days (7 by default) or has passed. One email a day at most.
- A supervisor gets one digest a week (the first run in a week, Monday to Sunday, in the
  agency's time zone): per assigned module, how many officers passed in its cycle, and who is
  overdue, by name.
- Running the command twice in a day sends nothing new: each email is claimed in the database
  (kind, officer, day or week) before it goes out, and a claim whose email failed is removed so
  the next run tries again. Every email sent is an audit event.
- Without SMTP settings the command only prints what it would send and records nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.engine import read_session, write_session
from db.models import Assignment, Completion, Department, Officer, ReminderSent, utcnow
from training.audit import record_event
from training.content import Catalog

DEFAULT_DAYS_AHEAD = 7


@dataclass(frozen=True)
class DueItem:
    module_id: str
    module_title: str
    cycle: str
    due_date: date

    def overdue(self, today: date) -> bool:
        return self.due_date < today


@dataclass(frozen=True)
class Reminder:
    kind: str  # "due" | "digest"
    officer_id: int
    to: str
    period: date
    subject: str
    body: str


def _open_work(session: Session, catalog: Catalog) -> dict[int, list[DueItem]]:
    """officer id -> assigned modules not yet passed in the assignment's cycle (earliest due date per module)."""
    officers = {o.id: o for o in session.exec(select(Officer).where(Officer.active == True))}  # noqa: E712
    by_dept: dict[int | None, list[int]] = defaultdict(list)
    for o in officers.values():
        by_dept[o.department_id].append(o.id)  # type: ignore[arg-type]
    passed = {(c.officer_id, c.module_id, c.cycle) for c in session.exec(select(Completion))}
    work: dict[int, dict[str, DueItem]] = defaultdict(dict)
    for a in session.exec(select(Assignment).where(Assignment.active == True)):  # noqa: E712
        module = catalog.modules.get(a.module_id)
        if module is None:
            continue
        targets = [a.officer_id] if a.officer_id is not None else by_dept.get(a.department_id, [])
        for oid in targets:
            if oid not in officers or (oid, a.module_id, a.cycle) in passed:
                continue
            known = work[oid].get(a.module_id)
            if known is None or a.due_date < known.due_date:
                work[oid][a.module_id] = DueItem(a.module_id, module.title, a.cycle, a.due_date)
    return {oid: sorted(items.values(), key=lambda i: i.due_date) for oid, items in work.items()}


def _due_body(name: str, items: list[DueItem], today: date, app_url: str) -> str:
    lines = [f"Hello {name},", "", "This is a reminder of your fair and impartial policing training:", ""]
    for item in items:
        when = (f"OVERDUE since {item.due_date:%B %d, %Y}" if item.overdue(today)
                else f"due {item.due_date:%B %d, %Y}")
        lines.append(f"- {item.module_title} (cycle {item.cycle}): {when}")
    lines += ["", f"Sign in to FIPP Academy to continue: {app_url}" if app_url else "Sign in to FIPP Academy to continue.",
              "", "You get at most one reminder a day. Your supervisor can see your training status."]
    return "\n".join(lines)


def plan_reminders(*, session: Session, catalog: Catalog, today: date, days_ahead: int = DEFAULT_DAYS_AHEAD,
                   app_url: str = "") -> list[Reminder]:
    """Every email a run on `today` should send (before idempotency claims)."""
    officers = {o.id: o for o in session.exec(select(Officer).where(Officer.active == True))}  # noqa: E712
    work = _open_work(session, catalog)
    horizon = today + timedelta(days=days_ahead)
    out: list[Reminder] = []
    for oid, items in sorted(work.items()):
        due = [i for i in items if i.due_date <= horizon]
        if due:
            o = officers[oid]
            late = sum(i.overdue(today) for i in due)
            subject = (f"FIPP training: {late} overdue module{'s' * (late != 1)}" if late
                       else f"FIPP training: {len(due)} module{'s' * (len(due) != 1)} due soon")
            out.append(Reminder("due", oid, o.email, today, subject, _due_body(o.name, due, today, app_url)))
    week = today - timedelta(days=today.weekday())
    depts = {d.id: d for d in session.exec(select(Department).where(Department.active == True))}  # noqa: E712
    for sup in sorted((o for o in officers.values() if o.role == "supervisor"), key=lambda o: o.id or 0):
        dept = depts.get(sup.department_id)
        if dept is None:
            continue
        roster = [o for o in officers.values() if o.department_id == dept.id]
        out.append(Reminder("digest", sup.id, sup.email, week,  # type: ignore[arg-type]
                            f"FIPP training: weekly summary for {dept.name}",
                            _digest_body(sup.name, dept.name, roster, work, today, app_url)))
    return out


def _digest_body(name: str, dept_name: str, roster: list[Officer], work: dict[int, list[DueItem]],
                 today: date, app_url: str) -> str:
    overdue = sorted(((o.name, i) for o in roster for i in work.get(o.id or 0, []) if i.overdue(today)),
                     key=lambda t: (t[1].module_title, t[0]))
    open_count = sum(len(work.get(o.id or 0, [])) for o in roster)
    lines = [f"Hello {name},", "", f"Weekly training summary for {dept_name} ({len(roster)} active officers),",
             f"week of {today - timedelta(days=today.weekday()):%B %d, %Y}:", "",
             f"- assigned modules not yet passed: {open_count}",
             f"- overdue: {len(overdue)}", ""]
    if overdue:
        lines.append("Overdue:")
        lines += [f"- {who}: {item.module_title} (cycle {item.cycle}, due {item.due_date:%B %d, %Y})"
                  for who, item in overdue[:200]]
        if len(overdue) > 200:
            lines.append(f"- and {len(overdue) - 200} more: see the department dashboard")
        lines.append("")
    lines.append(f"Department dashboard: {app_url}" if app_url else "See the department dashboard in FIPP Academy.")
    return "\n".join(lines)


@dataclass
class RunReport:
    planned: int = 0
    sent: int = 0
    already_sent: int = 0
    failed: int = 0


def send_reminders(*, engine: Engine, catalog: Catalog, today: date, send: Callable[[Reminder], None],
                   days_ahead: int = DEFAULT_DAYS_AHEAD, app_url: str = "") -> RunReport:
    """Claim, send and record each planned reminder; see the module docstring for the rules."""
    with read_session(engine) as s:
        planned = plan_reminders(session=s, catalog=catalog, today=today, days_ahead=days_ahead, app_url=app_url)
    report = RunReport(planned=len(planned))
    for r in planned:
        try:
            with write_session(engine) as s:
                s.add(ReminderSent(kind=r.kind, officer_id=r.officer_id, period=r.period))
        except IntegrityError:
            report.already_sent += 1
            continue
        try:
            send(r)
        except Exception as exc:  # noqa: BLE001 - any SMTP failure: release the claim, retry next run
            with write_session(engine) as s:
                s.execute(delete(ReminderSent).where(col(ReminderSent.kind) == r.kind,
                                                     col(ReminderSent.officer_id) == r.officer_id,
                                                     col(ReminderSent.period) == r.period))
                record_event(session=s, action="reminder.failed", target_type="officer", target_id=r.officer_id,
                             kind=r.kind, period=r.period.isoformat(), error=str(exc)[:300])
            report.failed += 1
            continue
        with write_session(engine) as s:
            s.execute(update(ReminderSent).where(col(ReminderSent.kind) == r.kind,
                                                 col(ReminderSent.officer_id) == r.officer_id,
                                                 col(ReminderSent.period) == r.period).values(sent_at=utcnow()))
            record_event(session=s, action="reminder.sent", target_type="officer", target_id=r.officer_id,
                         kind=r.kind, period=r.period.isoformat(), subject=r.subject)
        report.sent += 1
    return report
