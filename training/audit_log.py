"""The audit log in words, for administrators: who did what to whom, by name, with the raw record beside it.

Rules a supervisor may ask about:
- Only administrators read the audit log. The check is made here, on the server, for every
  page read, not only by hiding the page from other roles.
- Each event reads as a sentence ("Ada Admin (A1) changed the role of Sam Lee (N-3) from
  trainee to supervisor."). Officers and departments are named as they are called now; the
  raw record (action code, ids and detail as stored) stays one click away and is never altered.
- An action this code has no sentence for still reads as words ("... recorded
  'x.y' for officer Sam Lee (N-3)"), never as a blank or an error.
- Times are shown in the agency's time zone, and the "when" filter counts the agency's days.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from db.models import Department, Officer
from db.queries.audit import PAGE_SIZE as PAGE_SIZE  # re-exported: pages import the service, never db.queries
from db.queries.audit import AuditFilter as AuditFilter  # re-exported: the audit page builds one
from db.queries.audit import AuditRow, audit_actions, audit_page
from training.identity.principal import Principal, require_role
from training.localtime import agency_zone, format_local


@dataclass(frozen=True)
class LogEntry:
    id: int
    when: str  # agency-local time, e.g. "2027-03-01 23:30 EST"
    sentence: str
    action: str
    department: str
    detail: str  # the detail JSON exactly as stored


@dataclass(frozen=True)
class LogPage:
    entries: tuple[LogEntry, ...]
    next_before_id: int | None  # pass back as before_id for the next (older) page


@dataclass(frozen=True)
class Event:
    """One event with names resolved, as the sentence templates see it."""

    who: str  # "Ada Admin (A1)"; "The system" when no one signed in acted
    target: str  # the named target: "Sam Lee (N-3)", "North Police", "assignment 7", ...
    d: Mapping[str, Any]  # the detail
    officers: Mapping[int, str]
    departments: Mapping[int, str]
    modules: Mapping[str, str]

    def officer(self, key: str = "officer_id") -> str:
        return _name(self.officers, self.d.get(key), "officer")

    def dept(self, value: object) -> str:
        return "no department (state office)" if value is None else _name(self.departments, value, "department")

    def module(self, key: str = "module_id") -> str:
        value = self.d.get(key)
        return self.modules.get(str(value), str(value)) if value else "every module"


def _name(names: Mapping[int, str], value: object, kind: str) -> str:
    try:
        return names.get(int(str(value)), f"{kind} {value}")
    except ValueError:
        return f"{kind} {value}"


def _local(iso: object) -> str:
    try:
        return format_local(datetime.fromisoformat(str(iso)))
    except ValueError:
        return str(iso)


def _changes(e: Event, labels: Mapping[str, Callable[[object], str]] | None = None) -> str:
    changes = e.d.get("changes") or {}
    show = labels or {}
    parts = [f"{k.removesuffix('_id').replace('_', ' ')} from {show.get(k, _plain)(v.get('before'))} to {show.get(k, _plain)(v.get('after'))}"
             for k, v in changes.items() if isinstance(v, dict)]
    return "; ".join(parts) or "nothing"


def _plain(value: object) -> str:
    return "(none)" if value is None or value == "" else f"'{value}'" if isinstance(value, str) else str(value)


def _score(e: Event) -> str:
    score = e.d.get("score")
    return f"{float(score):.0f}%" if isinstance(score, int | float) else "no score"


SENTENCES: dict[str, Callable[[Event], str]] = {
    "account.first_admin": lambda e: f"{e.who} set up FIPP Academy as its first administrator.",
    "account.create": lambda e: f"{e.who} added {e.target} as a {e.d.get('role', 'officer')} "
                                f"({'with' if e.d.get('password_set') else 'without'} a password).",
    "account.update": lambda e: f"{e.who} changed the details of {e.target}: {_changes(e)}.",
    "account.role_change": lambda e: f"{e.who} changed the role of {e.target}: {_changes(e)}.",
    "account.department_change": lambda e: f"{e.who} moved {e.target}: "
                                           f"{_changes(e, {'department_id': e.dept})}.",
    "account.deactivate": lambda e: f"{e.who} deactivated {e.target}; "
                                    f"{e.d.get('sessions_ended', 0)} open session(s) ended.",
    "account.reactivate": lambda e: f"{e.who} reactivated {e.target}.",
    "account.unlock": lambda e: f"{e.who} unlocked {e.target}.",
    "account.locked": lambda e: f"{e.target} was locked until {_local(e.d.get('until'))} after repeated failed sign-ins.",
    "account.password_set": lambda e: f"{e.who} set the password of {e.target}.",
    "account.password_change_refused": lambda e: f"{e.who} tried to change their password; the current password "
                                                 "given was wrong.",
    "account.link_issued": lambda e: f"{e.who} issued a one-time {e.d.get('purpose', 'set-password')} link "
                                     f"for {e.target}.",
    "account.password_set_by_link": lambda e: f"{e.target} set their password with a one-time link.",
    "account.reset_requested": lambda e: f"A password reset was requested for {e.target}"
                                         + ("." if e.d.get("known", True) else " (no such account: nothing sent)."),
    "account.reset_by_command": lambda e: f"A password reset link for {e.target} was made from the command line.",
    "department.create": lambda e: f"{e.who} added the department {_plain(e.d.get('name'))} "
                                   f"(code {_plain(e.d.get('code'))}).",
    "department.update": lambda e: f"{e.who} changed the department {e.target}: {_changes(e)}.",
    "department.deactivate": lambda e: f"{e.who} deactivated the department {e.target}.",
    "department.reactivate": lambda e: f"{e.who} reactivated the department {e.target}.",
    "assignment.create": lambda e: f"{e.who} assigned {e.module()} to "
                                   f"{e.officer() if e.d.get('officer_id') else 'the department'}, due "
                                   f"{e.d.get('due_date')}, cycle {e.d.get('cycle')}.",
    "assignment.deactivate": lambda e: f"{e.who} deactivated {e.target}.",
    "roster.import": lambda e: f"{e.who} imported a roster of {e.d.get('imported', 0)} officer(s) from "
                               f"{e.target or 'a file'}.",
    "quiz.start": lambda e: f"{e.who} started the quiz {e.d.get('quiz_id', '(unnamed)')} ({e.target}).",
    "quiz.submit": lambda e: f"{e.who} submitted the quiz {e.d.get('quiz_id', '(unnamed)')}: {_score(e)}, "
                             f"{'passed' if e.d.get('passed') else 'not passed'}.",
    "recertify.start": lambda e: f"{e.who} started re-certifying {e.module()} "
                                 f"({e.d.get('questions', 0)} question(s) on changed points).",
    "content.change": lambda e: f"The content of {e.modules.get(str(e.d.get('module_id') or ''), e.target)} changed "
                                f"(version {str(e.d.get('module_version_hash', ''))[:12]}).",
    "cycle.open": lambda e: f"{e.who} opened the training cycle {e.target}, due {e.d.get('due_date')}; "
                            f"{e.d.get('carried_assignments', 0)} assignment(s) carried over from "
                            f"{e.d.get('previous') or 'no earlier cycle'}.",
    "wording.adopt": lambda e: (f"{e.who} cleared the adopted wording of policy point {e.target} for "
                                if e.d.get("cleared") else
                                f"{e.who} entered adopted wording ({e.d.get('characters', 0)} characters) for "
                                f"policy point {e.target} for ") + "their agency.",
    "waiver.grant": lambda e: f"{e.who} waived {e.module()} for {e.officer()} in cycle {e.d.get('cycle')} "
                              f"({e.d.get('reason')}), from {e.d.get('starts_on')}"
                              + (f" to {e.d.get('ends_on')}." if e.d.get("ends_on") else ", open-ended."),
    "waiver.revoke": lambda e: f"{e.who} revoked {e.target} for {e.officer()}.",
    "reminder.sent": lambda e: f"A {e.d.get('kind', '')} reminder was emailed to {e.target}.",
    "reminder.failed": lambda e: f"A {e.d.get('kind', '')} reminder to {e.target} could not be sent: "
                                 f"{e.d.get('error', 'unknown error')}.",
    "evidence.pack": lambda e: f"{e.who} made an evidence pack ({e.target}).",
    "signin.success": lambda e: f"{e.who} signed in.",
    "signin.second_factor": lambda e: f"{e.who} passed the second factor"
                                      + (" (set it up now)" if e.d.get("enrolled_now") else "")
                                      + (" with a recovery code." if e.d.get("recovery_code") else "."),
    "signin.failure": lambda e: f"A sign-in as {e.target} failed"
                                + (f": {e.d['reason']}." if e.d.get("reason") else
                                   f" ({e.d.get('failures_in_a_row', 1)} in a row)."),
    "signin.refused_locked": lambda e: f"A sign-in as {e.target} was refused: the account is locked.",
    "signin.refused_inactive": lambda e: f"A sign-in as {e.target} was refused: the account is deactivated.",
    "signin.oidc": lambda e: f"{e.who} signed in through {e.d.get('provider', 'the agency sign-in')}.",
    "signin.oidc_refused": lambda e: f"A sign-in through {e.d.get('provider', 'the agency sign-in')} as {e.target} "
                                     f"was refused: {e.d.get('reason', 'no reason given')}.",
    "signout": lambda e: f"{e.who} signed out (every session ended).",
    "session.expired": lambda e: f"A session of {e.target} ended: the {e.d.get('reason', '')} time limit passed.",
    "second_factor.enrolled": lambda e: f"{e.who} set up an authenticator app.",
    "second_factor.failure": lambda e: f"A second-factor code for {e.target} was refused: "
                                       f"{e.d.get('reason', 'wrong code')} ({e.d.get('failures_in_a_row', 1)} in a row).",
    "second_factor.locked": lambda e: f"Second-factor codes for {e.target} are locked until {_local(e.d.get('until'))}.",
    "second_factor.refused_locked": lambda e: f"A second-factor code for {e.target} was refused: codes are locked.",
    "second_factor.recovery_code_used": lambda e: f"{e.who} used a recovery code "
                                                  f"({e.d.get('left', 0)} left).",
    "second_factor.recovery_codes_renewed": lambda e: f"{e.who} made new recovery codes.",
    "second_factor.reset": lambda e: f"The second factor of {e.target} was reset"
                                     + (f" by {e.who}" if e.who != SYSTEM else "")
                                     + f" (via {e.d.get('via', 'unknown')}).",
}
SYSTEM = "The system"


def describe(event: Event, action: str, target_type: str | None) -> str:
    """The event as a sentence; an unknown action gets a plain generic one."""
    template = SENTENCES.get(action)
    if template is not None:
        try:
            return template(event)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # an older or odd detail: fall through to the generic sentence, never an error page
    on = f" for {target_type or 'item'} {event.target}" if event.target else ""
    return f"{event.who} recorded '{action}'{on}."


def _target(row: AuditRow, officers: Mapping[int, str], departments: Mapping[int, str]) -> str:
    if row.target_id is None:
        return ""
    if row.target_type == "officer":
        return _name(officers, row.target_id, "officer")
    if row.target_type == "department":
        return _name(departments, row.target_id, "department")
    if row.target_type == "login":
        return f"'{row.target_id}'"  # what was typed, as typed
    if row.target_type in ("cycle", "policy_point"):
        return row.target_id
    return f"{(row.target_type or 'item').replace('_', ' ')} {row.target_id}"


def _ids(rows: tuple[AuditRow, ...], details: list[dict[str, Any]]) -> tuple[set[int], set[int]]:
    officer_ids: set[int] = set()
    dept_ids: set[int] = set()
    for row, d in zip(rows, details, strict=True):
        if row.target_type == "officer" and row.target_id and row.target_id.isdigit():
            officer_ids.add(int(row.target_id))
        if row.target_type == "department" and row.target_id and row.target_id.isdigit():
            dept_ids.add(int(row.target_id))
        if isinstance(d.get("officer_id"), int):
            officer_ids.add(d["officer_id"])
        moved = (d.get("changes") or {}).get("department_id") if isinstance(d.get("changes"), dict) else None
        if isinstance(moved, dict):
            dept_ids.update(v for v in (moved.get("before"), moved.get("after")) if isinstance(v, int))
    return officer_ids, dept_ids


def _detail(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def read_audit_log(*, session: Session, actor: Principal, where: AuditFilter, before_id: int | None = None,
                   modules: Mapping[str, str] | None = None) -> LogPage:
    """One page of the audit log, newest first, in words. Administrators only."""
    require_role(actor, "admin")
    page = audit_page(session=session, where=replace(where, zone=agency_zone()), before_id=before_id)
    details = [_detail(r.detail) for r in page.rows]
    officer_ids, dept_ids = _ids(page.rows, details)
    officers = {o.id or 0: f"{o.name} ({o.badge_number})" for o in session.exec(
        select(Officer).where(col(Officer.id).in_(officer_ids)))} if officer_ids else {}
    departments = {d.id or 0: d.name for d in session.exec(
        select(Department).where(col(Department.id).in_(dept_ids)))} if dept_ids else {}
    entries = []
    for row, d in zip(page.rows, details, strict=True):
        event = Event(row.actor or SYSTEM, _target(row, officers, departments), d, officers, departments,
                      modules or {})
        entries.append(LogEntry(row.id, format_local(row.at), describe(event, row.action, row.target_type),
                                row.action, row.department, row.detail))
    return LogPage(tuple(entries), page.next_before_id)


def audit_log_choices(*, session: Session, actor: Principal) -> tuple[list[str], dict[int, str]]:
    """For the filters: every action recorded so far, and every department by name. Administrators only."""
    require_role(actor, "admin")
    departments = {d.id or 0: d.name for d in session.exec(select(Department).order_by(col(Department.name)))}
    return audit_actions(session=session), departments
