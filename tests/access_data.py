"""Distinctive records for the access-control tests: things a north user must never see.

A south officer, Zebulon Southwick, with a passed attempt, a completion and an assignment;
and a north officer, Yolanda Northcott, with an attempt, whom north's supervisor may see
but north's trainee may not. Their names, badges, emails and certificate codes are
unlike anything else in the fixtures, so finding one in a page means a leak.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import select

from db.engine import write_session
from db.models import Completion, Officer, utcnow
from training import quizzes
from training.administration.assignments import assign_module
from training.administration.officers import create_officer
from training.content import Catalog
from training.identity.principal import Principal, principal_of
from training.settings import Settings


@dataclass(frozen=True)
class Secret:
    officer_id: int
    department_id: int
    attempt_id: int
    markers: tuple[str, ...]  # strings that identify this officer or their records


@dataclass(frozen=True)
class Secrets:
    south: Secret  # Zebulon Southwick, south
    north_peer: Secret  # Yolanda Northcott, north


def _officer_with_records(engine: Engine, admin: Principal, catalog: Catalog, settings: Settings, *, name: str,
                          badge: str, email: str, department_id: int, quiz_id: str) -> Secret:
    with write_session(engine) as s:
        o: Officer = create_officer(session=s, actor=admin, name=name, email=email, badge_number=badge,
                                    department_id=department_id, role="trainee", settings=settings)
        me = principal_of(o)
        assign_module(session=s, actor=admin, catalog=catalog, module_id=next(iter(catalog.modules)),
                      officer_ids=(me.officer_id,), due_date=utcnow().date() + timedelta(days=3), cycle="2027")
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id=quiz_id,
                                                  rng=random.Random(7))
        for q in attempt.questions:
            right = [opt.id for opt in catalog.questions[q.question_id].options if opt.correct]
            quizzes.save_answer(session=s, actor=me, attempt_id=attempt.attempt_id, position=q.position, chosen=right)
    with write_session(engine) as s:
        quizzes.submit_attempt(session=s, actor=me, catalog=catalog, attempt_id=attempt.attempt_id)
        code = s.exec(select(Completion.verification_code).where(Completion.officer_id == me.officer_id)).first()
    markers = (name, badge, email) + ((code,) if code else ())
    return Secret(me.officer_id, department_id, attempt.attempt_id, markers)


def seed_secrets(engine: Engine, people: dict[str, Principal], catalog: Catalog, settings: Settings) -> Secrets:
    quiz_id = next(iter(catalog.quizzes))
    south = _officer_with_records(
        engine, people["admin"], catalog, settings, name="Zebulon Southwick", badge="ZEB-4242",
        email="zebulon.southwick@south.example.org", department_id=people["south_trainee"].department_id or 0,
        quiz_id=quiz_id)
    peer = _officer_with_records(
        engine, people["admin"], catalog, settings, name="Yolanda Northcott", badge="YOL-7373",
        email="yolanda.northcott@north.example.org", department_id=people["north_trainee"].department_id or 0,
        quiz_id=quiz_id)
    return Secrets(south, peer)
