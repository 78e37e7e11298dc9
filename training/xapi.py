"""xAPI statements for agencies with an LMS or a Learning Record Store (LRS).

Each quiz start ("attempted"), each graded submission ("passed" or "failed") and each
completion ("completed") becomes an xAPI 1.0.3 statement, written to the `xapi_statement`
outbox in the same transaction as the record it describes. `python -m training deliver-xapi`
sends what is waiting to the LRS named by FIPP_LRS_URL, retrying failures with a growing
wait; `python -m training export-xapi` writes them to a file.

A statement's id is derived from the record it describes (a UUID 5 of the base IRI, the verb
and the attempt), so sending it again, after a crash or a lost reply, never makes a second
statement in the LRS.

Settings: FIPP_XAPI_BASE, the IRI that activity ids and the officers' account home page start
with (default https://fipp-academy.invalid; set it once to your site's address and keep it);
FIPP_XAPI_ACTOR, "account" (default: the officer's account number on that home page, no
personal data) or "email" (mailto: the officer's email, for an LMS that matches people by
email); FIPP_LRS_URL, FIPP_LRS_USER, FIPP_LRS_PASSWORD for delivery (HTTP Basic).
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, insert, update
from sqlmodel import Session, col, select

from db.engine import read_session, write_session
from db.models import Officer, XapiStatement, utcnow
from db.raw import Raw, Sql
from training.records import RecordedCompletion
from training.settings import get_settings

XAPI_VERSION = "1.0.3"
VERBS = {
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
}
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
MODULE = "http://adlnet.gov/expapi/activities/module"
_NAMESPACE = uuid.UUID("6f1e2f6e-4c2b-5d1a-9a57-0f1f9e3c2a10")
BATCH = 50
MAX_WAIT = timedelta(hours=6)


class AttemptFacts(Protocol):
    """What a statement says about an attempt: an Attempt row, or the values of one in hand."""

    @property
    def id(self) -> int | None: ...
    @property
    def officer_id(self) -> int: ...
    @property
    def quiz_id(self) -> str: ...
    @property
    def quiz_hash(self) -> str: ...
    @property
    def attempt_number(self) -> int: ...
    @property
    def module_id(self) -> str | None: ...


class StartedAttempt(AttemptFacts, Protocol):
    @property
    def started_at(self) -> datetime: ...


@dataclass(frozen=True)
class XapiConfig:
    base: str = "https://fipp-academy.invalid"
    actor: str = "account"  # "account" | "email"


def xapi_config() -> XapiConfig:
    cfg = get_settings()  # FIPP_XAPI_BASE and FIPP_XAPI_ACTOR, checked at start (training/settings.py)
    return XapiConfig(base=cfg.xapi_base, actor=cfg.xapi_actor)


def statement_id(cfg: XapiConfig, verb: str, attempt_id: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{cfg.base}|{verb}|attempt:{attempt_id}"))


def _when(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _actor(session: Session, cfg: XapiConfig, officer_id: int) -> dict[str, Any]:
    if cfg.actor == "email":
        officer = session.get(Officer, officer_id)
        if officer is not None:
            return {"objectType": "Agent", "mbox": f"mailto:{officer.email}"}
    return {"objectType": "Agent", "account": {"homePage": cfg.base, "name": f"officer-{officer_id}"}}


def _quiz_object(cfg: XapiConfig, attempt: AttemptFacts, title: str) -> dict[str, Any]:
    return {"objectType": "Activity", "id": f"{cfg.base}/xapi/activities/quiz/{attempt.quiz_id}",
            "definition": {"type": ASSESSMENT, "name": {"en-US": title},
                           "extensions": {f"{cfg.base}/xapi/extensions/quiz-version": attempt.quiz_hash}}}


def _context(cfg: XapiConfig, attempt: AttemptFacts) -> dict[str, Any]:
    ctx: dict[str, Any] = {"platform": "FIPP Academy", "language": "en-US",
                           "extensions": {f"{cfg.base}/xapi/extensions/attempt-number": attempt.attempt_number}}
    if attempt.module_id:
        ctx["contextActivities"] = {"parent": [{"objectType": "Activity",
                                                "id": f"{cfg.base}/xapi/activities/module/{attempt.module_id}"}]}
    return ctx


def _row(cfg: XapiConfig, verb: str, attempt: AttemptFacts, body: dict[str, Any]) -> dict[str, Any]:
    sid = statement_id(cfg, verb, attempt.id or 0)
    statement = {"id": sid, "verb": {"id": VERBS[verb], "display": {"en-US": verb}}, "version": XAPI_VERSION, **body}
    return {"id": sid, "verb": verb, "officer_id": attempt.officer_id, "attempt_id": attempt.id,
            "statement": json.dumps(statement, sort_keys=True, ensure_ascii=False), "created_at": utcnow(),
            "tries": 0}


# A Core INSERT on the table, built once: statements are write-once rows, no ORM bookkeeping needed.
_INSERT = insert(XapiStatement.metadata.tables["xapi_statement"])


def record_attempted(*, session: Session, attempt: StartedAttempt, quiz_title: str) -> None:
    """In the transaction that starts an attempt: the 'attempted' statement."""
    cfg = xapi_config()
    session.flush()  # the attempt this statement names is written first
    session.execute(_INSERT, [_row(cfg, "attempted", attempt, {
        "actor": _actor(session, cfg, attempt.officer_id), "object": _quiz_object(cfg, attempt, quiz_title),
        "context": _context(cfg, attempt), "timestamp": _when(attempt.started_at)})])


_COLUMNS = ("id", "verb", "officer_id", "attempt_id", "statement", "created_at", "tries")
_INSERT_RAW = Sql(f"INSERT INTO xapi_statement ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})")


def record_graded_raw(raw: Raw, *, session: Session, attempt: AttemptFacts, quiz_title: str, score: float,
                      passed: bool, submitted_at: datetime, completion: RecordedCompletion | None,
                      module_title: str | None) -> None:
    """In the transaction that records a submission, on its driver connection (db/raw.py): 'passed'
    or 'failed', and 'completed' with a completion, in one executemany."""
    rows = graded_rows(session=session, attempt=attempt, quiz_title=quiz_title, score=score, passed=passed,
                       submitted_at=submitted_at, completion=completion, module_title=module_title)
    raw.many(_INSERT_RAW, [[raw.when(r[c]) if c == "created_at" else r[c] for c in _COLUMNS] for r in rows])


def graded_rows(*, session: Session, attempt: AttemptFacts, quiz_title: str, score: float, passed: bool,
                submitted_at: datetime, completion: RecordedCompletion | None,
                module_title: str | None) -> list[dict[str, Any]]:
    """The outbox rows for a submission: 'passed' or 'failed', and 'completed' with a completion."""
    cfg = xapi_config()
    actor = _actor(session, cfg, attempt.officer_id)
    verb = "passed" if passed else "failed"
    rows = [_row(cfg, verb, attempt, {
        "actor": actor, "object": _quiz_object(cfg, attempt, quiz_title), "context": _context(cfg, attempt),
        "timestamp": _when(submitted_at),
        "result": {"score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
                   "success": passed, "completion": True}})]
    if completion is not None:
        rows.append(_row(cfg, "completed", attempt, {
            "actor": actor, "timestamp": _when(completion.completed_at),
            "object": {"objectType": "Activity", "id": f"{cfg.base}/xapi/activities/module/{completion.module_id}",
                       "definition": {"type": MODULE, "name": {"en-US": module_title or completion.module_id},
                                      "extensions": {f"{cfg.base}/xapi/extensions/module-version":
                                                     completion.module_version_hash}}},
            "context": {"platform": "FIPP Academy", "language": "en-US",
                        "extensions": {f"{cfg.base}/xapi/extensions/cycle": completion.cycle,
                                       f"{cfg.base}/xapi/extensions/verification-code":
                                       completion.verification_code}},
            "result": {"score": {"scaled": round(completion.score / 100, 4)}, "success": True, "completion": True}}))
    return rows


@dataclass(frozen=True)
class LrsConfig:
    url: str  # the LRS endpoint, e.g. https://lrs.example.org/xAPI/
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_s: float = 20.0


def lrs_config() -> LrsConfig | None:
    cfg = get_settings()
    if not cfg.lrs_url:
        return None
    return LrsConfig(url=cfg.lrs_url + "/", user=cfg.lrs_user,
                     password=cfg.lrs_password.get_secret_value() if cfg.lrs_password else None)


def post_statements(lrs: LrsConfig, statements: list[dict[str, Any]]) -> None:
    """POST a batch; raises on anything but success. 409 (ids already stored) counts as delivered."""
    req = urllib.request.Request(lrs.url + "statements", data=json.dumps(statements).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION})
    if lrs.user:
        token = base64.b64encode(f"{lrs.user}:{lrs.password or ''}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(req, timeout=lrs.timeout_s) as resp:  # noqa: S310 - configured https/http URL
            resp.read()
    except urllib.error.HTTPError as exc:
        if exc.code != 409:
            raise RuntimeError(f"LRS answered {exc.code}: {exc.read()[:200]!r}") from exc


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    waiting: int = 0


def deliver_pending(*, engine: Engine, lrs: LrsConfig, now: datetime | None = None) -> DeliveryReport:
    """Send every statement that is due, in batches; a failed batch waits longer before each retry."""
    report = DeliveryReport()
    now = now or utcnow()
    while True:
        with read_session(engine) as s:
            due = s.exec(select(XapiStatement).where(col(XapiStatement.delivered_at).is_(None))
                         .where((col(XapiStatement.next_try_at).is_(None)) | (col(XapiStatement.next_try_at) <= now))
                         .order_by(col(XapiStatement.created_at), col(XapiStatement.id))
                         .limit(BATCH)).all()
        if not due:
            break
        ids = [d.id for d in due]
        try:
            post_statements(lrs, [json.loads(d.statement) for d in due])
        except Exception as exc:  # noqa: BLE001 - any transport or LRS failure: retry later
            with write_session(engine) as s:
                for d in due:
                    wait = min(MAX_WAIT, timedelta(minutes=2 ** min(d.tries, 10)))
                    s.execute(update(XapiStatement).where(col(XapiStatement.id) == d.id).values(
                        tries=d.tries + 1, next_try_at=now + wait, last_error=str(exc)[:500]))
            report.failed += len(ids)
            break
        with write_session(engine) as s:
            s.execute(update(XapiStatement).where(col(XapiStatement.id).in_(ids)).values(
                delivered_at=utcnow(), tries=XapiStatement.tries + 1, last_error=None))
        report.delivered += len(ids)
    with read_session(engine) as s:
        report.waiting = len(s.exec(select(XapiStatement.id).where(col(XapiStatement.delivered_at).is_(None))).all())
    return report


def all_statements(*, session: Session, undelivered_only: bool = False) -> Iterable[dict[str, Any]]:
    query = select(XapiStatement).order_by(col(XapiStatement.created_at), col(XapiStatement.id))
    if undelivered_only:
        query = query.where(col(XapiStatement.delivered_at).is_(None))
    for row in session.exec(query):
        yield json.loads(row.statement)
