"""Every table, and only tables. Schema changes go through db/migrations (Alembic).

Append-only tables (answer, completion, audit_event, and attempt once submitted) are
guarded by database triggers created in the migrations, so no code path, ours or anyone's
with a SQL prompt, can alter the evidence silently.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import BigInteger, Column, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

ROLES = ("trainee", "supervisor", "admin")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    code: str = Field(max_length=40, unique=True)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class Officer(SQLModel, table=True):
    """Anyone who signs in: trainees, supervisors and administrators."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    badge_number: str = Field(max_length=60, unique=True)
    email: str = Field(max_length=254, unique=True)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    role: str = Field(max_length=20)
    password_hash: str = Field(default="", max_length=255)
    active: bool = True
    failed_sign_ins: int = 0
    locked_until: datetime | None = None
    password_changed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class UserSession(SQLModel, table=True):
    """A signed-in browser session, checked on the server at every page run."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    end_reason: str | None = Field(default=None, max_length=40)
    # Set while the session waits for its one-time hand-off to the browser (training/identity/sessions.py):
    # the hash of the hand-off token, when it expires, and the hash of the browser key it is bound to.
    handoff_hash: str | None = Field(default=None, max_length=64, unique=True)
    handoff_expires_at: datetime | None = None
    browser_hash: str | None = Field(default=None, max_length=64)


class OneTimeLink(SQLModel, table=True):
    """A single-use link to set a password (first password or recovery); only its hash is kept."""

    __tablename__ = "one_time_link"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    purpose: str = Field(max_length=20)  # "first_password" or "reset"
    created_by: int | None = Field(default=None, foreign_key="officer.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class LessonProgress(SQLModel, table=True):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("officer_id", "module_id", "lesson_id"),)
    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    module_id: str = Field(max_length=80)
    lesson_id: str = Field(max_length=80)
    module_version_hash: str = Field(max_length=64)
    read_at: datetime = Field(default_factory=utcnow)


class Assignment(SQLModel, table=True):
    """A module assigned to a whole department or to one officer, with a due date and cycle."""

    id: int | None = Field(default=None, primary_key=True)
    module_id: str = Field(max_length=80, index=True)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    officer_id: int | None = Field(default=None, foreign_key="officer.id", index=True)
    due_date: date
    cycle: str = Field(max_length=20)
    active: bool = True
    created_by: int | None = Field(default=None, foreign_key="officer.id")
    created_at: datetime = Field(default_factory=utcnow)


class Attempt(SQLModel, table=True):
    """One try at a quiz. Open while answering; immutable once submitted."""

    __table_args__ = (
        # One open attempt per trainee per quiz, enforced by the database itself.
        Index("uq_attempt_open", "officer_id", "quiz_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    quiz_id: str = Field(max_length=80, index=True)
    module_id: str | None = Field(default=None, max_length=80)
    quiz_hash: str = Field(max_length=64)
    attempt_number: int
    status: str = Field(default="open", max_length=20)
    started_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    score: float | None = None
    passed: bool | None = None
    pass_mark: int
    # The training cycle the attempt counts toward (attempt limits and retake waits count per
    # cycle); None before any cycle was opened.
    cycle: str | None = Field(default=None, max_length=20)
    key_id: str | None = Field(default=None, max_length=40)  # the evidence key that sealed it
    seal: str | None = Field(default=None, max_length=100)  # Ed25519 signature (training/evidence/seals.py)


class AttemptQuestion(SQLModel, table=True):
    """What was drawn and shown: the exact question version and option order. Never changes."""

    __tablename__ = "attempt_question"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id", index=True)
    position: int
    question_id: str = Field(max_length=80)
    question_hash: str = Field(max_length=64)
    option_order: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of option ids


class DraftAnswer(SQLModel, table=True):
    """The trainee's current choice on an open attempt, saved as they go."""

    __tablename__ = "draft_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id", index=True)
    position: int
    chosen: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of option ids
    saved_at: datetime = Field(default_factory=utcnow)


class Answer(SQLModel, table=True):
    """A graded answer, written once at submission. Append-only."""

    __table_args__ = (UniqueConstraint("attempt_id", "position"),
                      Index("ix_answer_question", "question_id", "question_hash"))
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id", index=True)
    position: int
    question_id: str = Field(max_length=80)
    question_hash: str = Field(max_length=64)
    option_order: str = Field(sa_column=Column(Text, nullable=False))
    chosen: str = Field(sa_column=Column(Text, nullable=False))
    credit: float
    correct: bool


class Completion(SQLModel, table=True):
    """Proof that an officer passed a module's quiz. Append-only, hash-chained."""

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    module_id: str = Field(max_length=80, index=True)
    module_version_hash: str = Field(max_length=64)
    quiz_id: str = Field(max_length=80)
    attempt_id: int = Field(foreign_key="attempt.id", unique=True)
    score: float
    completed_at: datetime = Field(default_factory=utcnow)
    cycle: str = Field(max_length=20)
    verification_code: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    prev_hash: str = Field(max_length=64)
    row_hash: str = Field(max_length=64, unique=True)
    key_id: str | None = Field(default=None, max_length=40)  # the evidence key that sealed it
    seal: str | None = Field(default=None, max_length=100)  # Ed25519 signature (training/evidence/seals.py)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="officer.id", index=True)
    action: str = Field(max_length=60, index=True)
    target_type: str | None = Field(default=None, max_length=40)
    target_id: str | None = Field(default=None, max_length=80)
    department_id: int | None = Field(default=None, index=True)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    # Hash-chained and sealed like completions (training/evidence/seals.py), so a deleted or
    # rewritten event is named by verify-records.
    prev_hash: str | None = Field(default=None, max_length=64)
    row_hash: str | None = Field(default=None, max_length=64)
    key_id: str | None = Field(default=None, max_length=40)  # the evidence key that sealed it
    seal: str | None = Field(default=None, max_length=100)  # Ed25519 signature (training/evidence/seals.py)


class QuestionVersion(SQLModel, table=True):
    """The full text of every question version ever drawn, keyed by its content hash.

    Attempts and answers point here, so an auditor can read exactly what an officer was
    asked, word for word, even after the bank has been edited. Append-only.
    """

    __tablename__ = "question_version"
    question_hash: str = Field(primary_key=True, max_length=64)
    question_id: str = Field(max_length=80, index=True)
    content: str = Field(sa_column=Column(Text, nullable=False))  # JSON: the question and its scenario text
    first_seen_at: datetime = Field(default_factory=utcnow)


class ModuleVersion(SQLModel, table=True):
    """What a module version taught, keyed by its version hash: title, lessons and the policy
    points each lesson covers, with their statements. Written when the version is first
    completed; append-only. Lets an auditor ask which policy points a completion stands for.
    """

    __tablename__ = "module_version"
    version_hash: str = Field(primary_key=True, max_length=64)
    module_id: str = Field(max_length=80, index=True)
    content: str = Field(sa_column=Column(Text, nullable=False))  # JSON snapshot
    first_seen_at: datetime = Field(default_factory=utcnow)


class EvidenceBaseline(SQLModel, table=True):
    """Rows at or below these ids were written before keyed evidence existed (an upgraded
    installation); the migration that added the keys signed this row, so it cannot be moved."""

    __tablename__ = "evidence_baseline"
    id: int | None = Field(default=None, primary_key=True)
    attempt_max_id: int = 0
    completion_max_id: int = 0
    audit_max_id: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    key_id: str | None = Field(default=None, max_length=40)  # the evidence key that sealed it
    seal: str | None = Field(default=None, max_length=100)  # Ed25519 signature (training/evidence/seals.py)


# Read-side indexes for the dashboards (migration 0003); declared here so the models match the schema.
Index("ix_attempt_officer_module", Attempt.officer_id, Attempt.module_id, Attempt.score)  # type: ignore[arg-type]
Index("ix_completion_officer_module", Completion.officer_id, Completion.module_id,  # type: ignore[arg-type]
      Completion.completed_at)  # type: ignore[arg-type]
Index("ix_officer_roster", Officer.department_id, Officer.active, Officer.role,  # type: ignore[arg-type]
      postgresql_include=["id"])


class ReminderSent(SQLModel, table=True):
    """One reminder email claimed or sent: at most one per kind, officer and day (or week, for digests).

    The unique key makes `send-reminders` idempotent: a second run on the same day, or two runs
    at once, cannot send the same reminder twice. A claim whose email failed is removed, so the
    next run tries again.
    """

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("kind", "officer_id", "period", name="uq_reminder_kind_officer_period"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # "due" (trainee) | "digest" (supervisor, weekly)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    period: date  # the local day (or the Monday of the week, for a digest)
    claimed_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class XapiStatement(SQLModel, table=True):
    """An xAPI statement waiting for (or delivered to) the agency's Learning Record Store.

    Written in the same transaction as the attempt or completion it describes (an outbox), with
    a statement id derived from that record, so delivering it again never makes a duplicate.
    """

    __tablename__ = "xapi_statement"
    id: str = Field(primary_key=True, max_length=36)  # the statement's own UUID
    verb: str = Field(max_length=20, index=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    attempt_id: int | None = Field(default=None, foreign_key="attempt.id")
    statement: str = Field(sa_column=Column(Text, nullable=False))  # JSON, as sent
    created_at: datetime = Field(default_factory=utcnow, index=True)
    delivered_at: datetime | None = Field(default=None, index=True)
    tries: int = 0
    next_try_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=500)


class TrainingCycle(SQLModel, table=True):
    """A training cycle an administrator opened; the newest one is the current cycle."""

    __tablename__ = "training_cycle"
    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(max_length=20, unique=True)
    due_date: date
    opened_at: datetime = Field(default_factory=utcnow)
    opened_by: int | None = Field(default=None, foreign_key="officer.id")


class ModuleRelease(SQLModel, table=True):
    """A module's content (lessons and the text of the policy points it cites) each time it went
    live, so a re-certification can show exactly what changed. Append-only."""

    __tablename__ = "module_release"
    id: int | None = Field(default=None, primary_key=True)
    module_id: str = Field(max_length=80, index=True)
    content_hash: str = Field(max_length=64, index=True)
    module_version_hash: str = Field(max_length=64)
    content: str = Field(sa_column=Column(Text, nullable=False))  # JSON: lessons and points
    released_at: datetime = Field(default_factory=utcnow)


class AdoptedWording(SQLModel, table=True):
    """A department's adopted text for one policy point; the newest row is in force. Append-only
    (an empty text means the department went back to the model wording)."""

    __tablename__ = "adopted_wording"
    id: int | None = Field(default=None, primary_key=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    policy_point_id: str = Field(max_length=80)
    text: str = Field(sa_column=Column(Text, nullable=False))
    entered_by: int | None = Field(default=None, foreign_key="officer.id")
    entered_at: datetime = Field(default_factory=utcnow)


class Waiver(SQLModel, table=True):
    """An exemption for an officer from one module (or a whole cycle). Append-only: a revocation
    is a new row naming the waiver it revokes."""

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    module_id: str | None = Field(default=None, max_length=80)  # None: the whole cycle
    cycle: str = Field(max_length=20)
    reason: str = Field(max_length=30)
    note: str = Field(default="", max_length=500)
    starts_on: date
    ends_on: date | None = None
    approved_by: int | None = Field(default=None, foreign_key="officer.id")
    created_at: datetime = Field(default_factory=utcnow)
    revokes_id: int | None = Field(default=None, foreign_key="waiver.id")

# Second factor and single sign-on (migration 0013_totp).


class SecondFactor(SQLModel, table=True):
    """An officer's TOTP authenticator. The secret is AES-GCM encrypted with a key kept outside
    the database (training/identity/secretbox.py); confirmed_at is None until the officer has
    typed one correct code."""

    __tablename__ = "second_factor"
    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", unique=True)
    secret_ciphertext: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)
    confirmed_at: datetime | None = None
    last_step: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))  # last accepted 30 s step
    failed_attempts: int = 0
    locked_until: datetime | None = None


class RecoveryCode(SQLModel, table=True):
    """A one-time recovery code, stored as its SHA-256 (80 random bits each, so a hash is enough)."""

    __tablename__ = "recovery_code"
    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None


class SignInChallenge(SQLModel, table=True):
    """The password (or identity provider) said yes; the second factor has not been given yet.
    The browser holds the token, the database its hash; single use, short-lived."""

    __tablename__ = "sign_in_challenge"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class OidcSignIn(SQLModel, table=True):
    """Each identity-provider sign-in the app has acted on, so one ID token opens one session."""

    __tablename__ = "oidc_sign_in"
    __table_args__ = (UniqueConstraint("issuer", "subject", "issued_at"),)
    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    issued_at: int = Field(sa_column=Column(BigInteger, nullable=False))
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    outcome: str = Field(max_length=20)  # "session" or "refused"
    at: datetime = Field(default_factory=utcnow)


class ModuleStatusRow(SQLModel, table=True):
    """A DERIVED CACHE, not evidence: each officer's facts per module and training cycle, so the
    dashboards read a few thousand rows instead of every attempt and completion (migration
    0015_module_status). Triggers on attempt, completion and lesson_progress keep it in the same
    transaction as the record that changes it; the application never writes it. It holds only
    durable facts: the status itself ("overdue", "waived", ...) depends on assignments, waivers and
    today, and is derived at read time by training/status.py. verify-records and the evidence pack
    never read this table; it can be rebuilt from the records (the migration's backfill).

    cycle is '' for what belongs to no cycle: lessons read (they count in every cycle) and attempts
    made before any cycle was opened."""

    __tablename__ = "module_status"
    __table_args__ = {"sqlite_with_rowid": False}  # stored in key order: an officer's rows together
    officer_id: int = Field(foreign_key="officer.id", primary_key=True)
    module_id: str = Field(max_length=80, primary_key=True)
    cycle: str = Field(max_length=20, primary_key=True)
    lessons_read: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    best_score: float | None = None
    completions: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    passed_at: datetime | None = None  # the first completion in the cycle
    completed_at: datetime | None = None  # the latest completion in the cycle
    version_hash: str | None = Field(default=None, max_length=64)  # the latest completion's module version
