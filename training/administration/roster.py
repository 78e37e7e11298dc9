"""Roster import from CSV: check every row first (dry run), then import all of it or none.

The file (rules a supervisor may ask about):
- CSV, UTF-8 (a byte-order mark, as Excel's "CSV UTF-8" writes, is fine), at most 5 MB and
  10,000 data rows. The first row is the header. Rows are numbered as a spreadsheet shows
  them: the header is row 1, the first officer row 2.
- Columns (any order, header case and spaces ignored): name, badge_number, email,
  department_code, and optionally role (trainee if left out or blank). Also accepted:
  "full name" for name; "badge", "badge number", "badge no", "employee number" for
  badge_number; "e-mail", "email address" for email; "department", "dept", "dept code",
  "department code" for department_code. Any other column is refused, so a misspelt
  header cannot silently drop data.
- Cells that start with = + - @, a tab or a carriage return are refused, not altered: they
  are how spreadsheet formula injection starts, and quietly changing a name or badge
  number would import something other than what the department keeps on file.
- Names are stored exactly as written; the pages show them as plain text, never as HTML.
- Supervisors import trainees into their own department only; administrators import
  trainees and supervisors into any active department. Administrators are never imported:
  create them one at a time on the Departments and officers page.
- Imported officers have no password, so they cannot sign in until an administrator sets
  one.
- All or nothing: if any row has a problem nothing is imported, and the import re-checks
  every row inside its own transaction, so a clash that appeared after the preview still
  stops it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.models import Department, Officer, utcnow
from training.audit import record_event, record_events
from training.emails import email_problem
from training.errors import DuplicateRecord, InvalidInput
from training.identity.fields import FORMULA_START, starts_like_formula, visible_start
from training.identity.principal import Principal, require_role

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
REQUIRED = ("name", "badge_number", "email", "department_code")
COLUMNS = (*REQUIRED, "role")
ALIASES = {
    "full_name": "name",
    "badge": "badge_number", "badge_no": "badge_number", "employee_number": "badge_number",
    "e_mail": "email", "email_address": "email",
    "department": "department_code", "dept": "department_code", "dept_code": "department_code",
}
MAX_LEN = {"name": 200, "badge_number": 60, "email": 254, "department_code": 40, "role": 20}
ROLES_BY_IMPORTER = {"supervisor": ("trainee",), "admin": ("trainee", "supervisor")}
TEMPLATE = "name,badge_number,email,department_code,role\nJane Doe,BPD-101,jane.doe@bpd.example,BPD,trainee\n"
_CHUNK = 500
EXTRA = "extra cells"


class RosterFileError(InvalidInput):
    """The file as a whole cannot be read: too big, not UTF-8, too many rows, bad header."""


class RosterRejected(InvalidInput):
    """At least one row has a problem, so nothing was imported."""

    def __init__(self, problems: tuple[RowProblem, ...]) -> None:
        super().__init__(f"Nothing was imported: {len(problems)} problem(s) in the file.")
        self.problems = problems


@dataclass(frozen=True)
class RosterRow:
    row: int  # as a spreadsheet numbers it: header is row 1
    name: str
    badge_number: str
    email: str
    department_code: str
    role: str


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str


@dataclass(frozen=True)
class RosterPreview:
    rows: tuple[RosterRow, ...]  # the rows that passed every check
    problems: tuple[RowProblem, ...]  # one per problem, by row: a row may have several

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


@dataclass(frozen=True)
class ImportResult:
    imported: int
    by_role: dict[str, int]
    by_department: dict[str, int]
    officers: tuple[tuple[int, str, str], ...] = ()  # (id, name, email) of each imported officer


def _header_key(cell: str) -> str:
    key = re.sub(r"[\s\-.]+", "_", cell.strip().lower()).strip("_")
    return ALIASES.get(key, key)


def decode(data: bytes) -> str:
    """The file's text, or RosterFileError naming the size limit or the first undecodable byte."""
    if len(data) > MAX_BYTES:
        raise RosterFileError(f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is 5 MB. Split it.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterFileError("The file is UTF-16 text. Save it as 'CSV UTF-8' and upload it again.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[:exc.start].count(b"\n") + 1
        raise RosterFileError(
            f"The file is not UTF-8 text: byte 0x{data[exc.start]:02X} at byte offset {exc.start} (row {row}) "
            "is not valid UTF-8. Save the file as 'CSV UTF-8' and upload it again.") from None
    if "\x00" in text:
        raise RosterFileError("The file contains NUL bytes; it is not a CSV text file.")
    return text


def read_rows(data: bytes) -> tuple[tuple[str, ...], list[tuple[int, dict[str, str]]]]:
    """Header columns and (row number, cells) for each non-blank data row."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    try:
        header_cells = next(reader)
    except StopIteration:
        raise RosterFileError("The file is empty.") from None
    except csv.Error as exc:
        raise RosterFileError(f"Row 1 is not valid CSV: {exc}.") from None
    header = tuple(_header_key(c) for c in header_cells)
    unknown = [c for c, k in zip(header_cells, header, strict=True) if k not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    doubled = sorted({k for k in header if header.count(k) > 1})
    if unknown or missing or doubled:
        parts = [f"unknown column(s) {', '.join(repr(c) for c in unknown)}" if unknown else "",
                 f"missing column(s) {', '.join(missing)}" if missing else "",
                 f"column(s) given twice: {', '.join(doubled)}" if doubled else ""]
        raise RosterFileError("Row 1 (the header): " + "; ".join(p for p in parts if p)
                              + f". Expected columns: {', '.join(COLUMNS)} (role is optional).")
    rows: list[tuple[int, dict[str, str]]] = []
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue  # a blank line, as spreadsheets often leave at the end
            if len(rows) == MAX_ROWS:
                raise RosterFileError(f"The file has more than {MAX_ROWS:,} officer rows. Split it.")
            record = dict(zip(header, cells, strict=False))
            if any(c.strip() for c in cells[len(header):]):
                record[EXTRA] = "yes"  # not a column name: _header_key never yields one with a space
            rows.append((number, record))
    except csv.Error as exc:
        raise RosterFileError(f"Row {number + 1} is not valid CSV: {exc}.") from None
    return header, rows


def _cell_problems(record: dict[str, str]) -> list[str]:
    out = []
    if EXTRA in record:
        out.append("more cells than the header has columns")
    for column in COLUMNS:
        raw = record.get(column, "")
        if starts_like_formula(raw):
            first = (raw.lstrip(" ") if raw.lstrip(" ").startswith(FORMULA_START) else visible_start(raw))[0]
            shown = {"\t": "a tab", "\r": "a carriage return"}.get(first, repr(first))
            out.append(f"{column} starts with {shown}, which a spreadsheet would treat as a formula; remove it")
        elif any(ord(c) < 32 for c in raw):
            out.append(f"{column} contains control characters or a line break")
        elif len(raw.strip()) > MAX_LEN[column]:
            out.append(f"{column} is longer than {MAX_LEN[column]} characters")
        elif column in REQUIRED and not raw.strip():
            out.append(f"{column} is missing")
    return out


def check_rows(*, session: Session, actor: Principal, rows: Iterable[tuple[int, dict[str, str]]]) -> RosterPreview:
    """Every problem in every row, with its row number; nothing is written."""
    require_role(actor, "supervisor", "admin")
    departments = {d.code.upper(): d for d in session.exec(select(Department))}
    allowed_roles = ROLES_BY_IMPORTER[actor.role]
    good: list[RosterRow] = []
    problems: list[RowProblem] = []
    seen_email: dict[str, int] = {}
    seen_badge: dict[str, int] = {}
    candidates: list[tuple[RosterRow, list[str]]] = []
    for number, record in rows:
        msgs = _cell_problems(record)
        r = RosterRow(number, record.get("name", "").strip(), record.get("badge_number", "").strip(),
                      record.get("email", "").strip().lower(), record.get("department_code", "").strip().upper(),
                      record.get("role", "").strip().lower() or "trainee")
        problem = email_problem(r.email) if r.email and not any("email" in m for m in msgs) else None
        if problem is not None:
            msgs.append(f"email '{r.email}' is not an email address: {problem}")
        if "@" in r.badge_number:
            msgs.append("badge_number cannot contain '@' (it could then pass for someone's email)")
        dept = departments.get(r.department_code)
        if actor.role == "supervisor" and r.department_code and (dept is None or dept.id != actor.department_id
                                                                   or not dept.active):
            msgs.append(HIDDEN)  # never whether that department exists elsewhere (finding 7)
        elif r.department_code and dept is None:
            msgs.append(f"department_code '{r.department_code}' is not a known department")
        elif dept is not None and not dept.active:
            msgs.append(f"department {r.department_code} is deactivated")
        if r.role not in allowed_roles:
            msgs.append(f"role '{r.role}' is not allowed here: use {' or '.join(allowed_roles)}"
                        + (" (create administrators one at a time)" if r.role == "admin" else ""))
        for value, seen, what in ((r.email, seen_email, "email"), (r.badge_number, seen_badge, "badge_number")):
            if value and value in seen:
                msgs.append(f"same {what} as row {seen[value]}")
            elif value:
                seen[value] = number
        candidates.append((r, msgs))
    taken_emails, taken_badges = _existing(session, seen_email, seen_badge)
    for r, msgs in candidates:
        clash = r.email in taken_emails or r.badge_number in taken_badges
        if clash and actor.role == "supervisor":
            if HIDDEN not in msgs:
                msgs.append(HIDDEN)  # the officer may be in another department: say nothing about them
        else:
            if r.email in taken_emails:
                msgs.append("an officer with this email already exists")
            if r.badge_number in taken_badges:
                msgs.append("an officer with this badge_number already exists")
        if msgs:
            problems.extend(RowProblem(r.row, m) for m in msgs)
        else:
            good.append(r)
    if not candidates:
        problems.append(RowProblem(2, "the file has a header but no officer rows"))
    return RosterPreview(tuple(good), tuple(problems))


HIDDEN = "cannot be imported here"


def _existing(session: Session, emails: Iterable[str], badges: Iterable[str]) -> tuple[set[str], set[str]]:
    """Which of these emails and badge numbers already belong to an officer (in chunks of 500)."""
    found_e: set[str] = set()
    found_b: set[str] = set()
    el, bl = list(emails), list(badges)
    for i in range(0, len(el), _CHUNK):
        found_e.update(session.exec(select(func.lower(Officer.email)).where(
            func.lower(Officer.email).in_(el[i:i + _CHUNK]))))
    for i in range(0, len(bl), _CHUNK):
        found_b.update(session.exec(select(Officer.badge_number).where(
            col(Officer.badge_number).in_(bl[i:i + _CHUNK]))))
    return found_e, found_b


def preview_roster(*, session: Session, actor: Principal, data: bytes) -> RosterPreview:
    """The dry run: read and check the file; raises RosterFileError if it cannot be read at all."""
    require_role(actor, "supervisor", "admin")
    _, rows = read_rows(data)
    return check_rows(session=session, actor=actor, rows=rows)


def import_roster(*, session: Session, actor: Principal, data: bytes, file_name: str = "") -> ImportResult:
    """Check again and import every row, or raise RosterRejected and import none (one transaction)."""
    preview = preview_roster(session=session, actor=actor, data=data)
    if not preview.ok:
        raise RosterRejected(preview.problems)
    dept_ids = {d.code.upper(): d.id for d in session.exec(select(Department))}
    now = utcnow()
    values = [{"name": r.name, "badge_number": r.badge_number, "email": r.email, "role": r.role,
               "department_id": dept_ids[r.department_code], "password_hash": "", "active": True,
               "failed_sign_ins": 0, "created_at": now} for r in preview.rows]
    # One multi-row INSERT ... RETURNING per batch: 10,000 officers take well under a second.
    try:
        ids = session.execute(insert(Officer).returning(col(Officer.id), col(Officer.badge_number),
                                                        sort_by_parameter_order=True), values).all()
    except IntegrityError:  # another writer added one of these emails or badges since the check above
        raise DuplicateRecord("Someone added one of these officers just now, so nothing was imported. "
                              "Upload the file again to see which rows clash.") from None
    record_events(session=session, events=[{
        "at": now, "actor_id": actor.officer_id, "action": "account.create", "target_type": "officer",
        "target_id": str(oid), "department_id": v["department_id"],
        "detail": _detail(v, badge)} for (oid, badge), v in zip(ids, values, strict=True)])
    by_role: dict[str, int] = {}
    by_dept: dict[str, int] = {}
    for r in preview.rows:
        by_role[r.role] = by_role.get(r.role, 0) + 1
        by_dept[r.department_code] = by_dept.get(r.department_code, 0) + 1
    record_event(session=session, action="roster.import", actor_id=actor.officer_id, target_type="roster",
                 target_id=file_name[:80] or None, department_id=actor.department_id if actor.role == "supervisor"
                 else None, imported=len(values), by_role=by_role, by_department=by_dept, bytes=len(data))
    officers = tuple((int(oid), str(v["name"]), str(v["email"])) for (oid, _badge), v in zip(ids, values, strict=True))
    return ImportResult(len(values), by_role, by_dept, officers)


def _detail(v: Mapping[str, object], badge: str) -> str:
    return json.dumps({"badge_number": badge, "department_id": v["department_id"], "email": v["email"],
                       "password_set": False, "role": v["role"], "source": "roster"}, sort_keys=True,
                      ensure_ascii=False)
