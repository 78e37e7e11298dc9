"""Demo data for a newcomer: a few departments, officers with printed passwords, some history.

Never run automatically; refuses to touch a database that already has accounts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import select

from db.engine import read_session, write_session
from db.models import Assignment, Officer, utcnow
from training.administration.departments import create_department
from training.administration.officers import create_officer
from training.content import Catalog
from training.errors import SetupAlreadyDone
from training.identity.principal import Principal, principal_of
from training.identity.setup import create_first_admin
from training.progress import mark_lesson_read
from training.quizzes import save_answer, start_or_resume_attempt, submit_attempt
from training.settings import Settings

DEMO_PASSWORDS = {
    "admin": "demo admin pass phrase for fipp",
    "supervisor": "demo supervisor pass phrase here",
    "trainee": "demo trainee pass phrase here",
}
DEPARTMENTS = [("Burlington Police Department", "BPD"), ("Addison County Sheriff", "ACSO"),
               ("St. Albans Police Department", "SAPD")]
TRAINEES = ["José Álvarez", "Łukasz Nowak", "Maria O'Neil", "Chen Wei", "Aaliyah Brooks", "Tom Gauthier",
            "Priya Raman", "Sam Whitcomb", "Renée Dubois"]


@dataclass(frozen=True)
class DemoAccount:
    name: str
    login: str
    role: str
    password: str


def seed_demo(engine: Engine, catalog: Catalog, settings: Settings, *, seed: int = 2024) -> list[DemoAccount]:
    rng = random.Random(seed)
    with read_session(engine) as s:
        if s.exec(select(Officer)).first() is not None:
            raise SetupAlreadyDone("This database already has accounts; seed-demo only fills an empty database.")
    accounts: list[DemoAccount] = []
    trainees: list[Principal] = []
    with write_session(engine) as s:
        admin = create_first_admin(session=s, name="Dana Admin", email="admin@demo.fipp", badge_number="STATE-1",
                                   password=DEMO_PASSWORDS["admin"], settings=settings)
        accounts.append(DemoAccount("Dana Admin", "admin@demo.fipp", "admin", DEMO_PASSWORDS["admin"]))
        n = 0
        for name, code in DEPARTMENTS:
            dept = create_department(session=s, actor=admin, name=name, code=code)
            sup = create_officer(session=s, actor=admin, name=f"Sgt. {code} Supervisor", email=f"sup@{code.lower()}.demo",
                                 badge_number=f"{code}-100", department_id=dept.id, role="supervisor",
                                 settings=settings, password=DEMO_PASSWORDS["supervisor"])
            accounts.append(DemoAccount(sup.name, sup.email, "supervisor", DEMO_PASSWORDS["supervisor"]))
            for module in catalog.modules_in_order()[:5]:
                s.add(Assignment(module_id=module.id, department_id=dept.id, cycle="2027", created_by=admin.officer_id,
                                 due_date=date(2027, 3, 31) if code != "SAPD" else utcnow().date() - timedelta(days=10)))
            for _ in range(3):
                name_ = TRAINEES[n]
                n += 1
                o = create_officer(session=s, actor=admin, name=name_, email=f"officer{n}@{code.lower()}.demo",
                                   badge_number=f"{code}-{200 + n}", department_id=dept.id, role="trainee",
                                   settings=settings, password=DEMO_PASSWORDS["trainee"])
                accounts.append(DemoAccount(o.name, o.email, "trainee", DEMO_PASSWORDS["trainee"]))
                trainees.append(principal_of(o))
    for who in trainees:
        _history(engine, catalog, who, rng)
    return accounts


def _history(engine: Engine, catalog: Catalog, who: Principal, rng: random.Random) -> None:
    """A few quiz attempts in the past weeks, some passed, some not."""
    skill = rng.uniform(0.55, 0.98)
    for k, module in enumerate(catalog.modules_in_order()[: rng.randint(1, 4)]):
        if module.quiz_id is None or not catalog.quiz_available(module.quiz_id):
            continue
        when = utcnow() - timedelta(days=rng.randint(2, 60), hours=k)
        with write_session(engine) as s:
            for lesson in module.lessons:
                mark_lesson_read(session=s, actor=who, catalog=catalog, module_id=module.id, lesson_id=lesson.id)
        with write_session(engine) as s:
            attempt = start_or_resume_attempt(session=s, actor=who, catalog=catalog, quiz_id=module.quiz_id,
                                              rng=rng, now=when)
            for q in attempt.questions:
                question = catalog.questions[q.question_id]
                right = [o.id for o in question.options if o.correct]
                wrong = [o.id for o in question.options if not o.correct][:1]
                save_answer(session=s, actor=who, attempt_id=attempt.attempt_id, position=q.position,
                            chosen=right if rng.random() < skill else wrong)
        with write_session(engine) as s:
            submit_attempt(session=s, actor=who, catalog=catalog, attempt_id=attempt.attempt_id,
                           now=when + timedelta(minutes=12))
