"""Making real records through the services, for the integrity, backup and fault tests."""

from __future__ import annotations

import random

from sqlalchemy import Engine

from db.engine import write_session
from training import quizzes
from training.administration.officers import create_officer
from training.content import Catalog
from training.identity.principal import Principal, principal_of
from training.settings import Settings


def add_trainees(engine: Engine, admin: Principal, department_id: int | None, count: int,
                 prefix: str = "t") -> list[Principal]:
    """Trainees without passwords (nobody signs in here; argon2 would only slow the test)."""
    with write_session(engine) as s:
        return [principal_of(create_officer(session=s, actor=admin, name=f"Trainee {prefix}{i}",
                                            email=f"{prefix}{i}@example.org", badge_number=f"{prefix.upper()}-{i}",
                                            department_id=department_id, role="trainee", settings=Settings()))
                for i in range(count)]


def start_and_answer(engine: Engine, who: Principal, catalog: Catalog, *, right: bool = True,
                     quiz_id: str = "sample-quiz") -> int:
    """Start the quiz and save an answer to every question (right or wrong); return the attempt id."""
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=who, catalog=catalog, quiz_id=quiz_id,
                                                  rng=random.Random(who.officer_id))
        for q in attempt.questions:
            options = catalog.questions[q.question_id].options
            picks = [o.id for o in options if o.correct == right][: None if right else 1]
            quizzes.save_answer(session=s, actor=who, attempt_id=attempt.attempt_id, position=q.position,
                                chosen=picks)
    return attempt.attempt_id


def pass_quiz(engine: Engine, who: Principal, catalog: Catalog) -> quizzes.AttemptResult:
    attempt_id = start_and_answer(engine, who, catalog)
    with write_session(engine) as s:
        return quizzes.submit_attempt(session=s, actor=who, catalog=catalog, attempt_id=attempt_id)


def seed_department(engine: Engine) -> tuple[Principal, int]:
    """A first administrator and one department: what every record hangs from."""
    from training.administration.departments import create_department
    from training.identity.setup import create_first_admin

    with write_session(engine) as s:
        admin = create_first_admin(session=s, name="Ada Admin", email="admin@example.org", badge_number="A1",
                                   password="a long enough test pass phrase", settings=Settings())
        dept = create_department(session=s, actor=admin, name="North Police", code="north")
        assert dept.id is not None
        return admin, dept.id
