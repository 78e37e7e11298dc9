"""What a trainee sees of a submitted attempt, decided on the server.

Rules a supervisor may ask about:
- After a failed attempt while retakes remain (the quiz's `review.after_fail`, default
  `chosen`): the score, which questions were wrong, the feedback on the option(s) the trainee
  chose, and the policy points and lessons to reread. Never the correct option or the
  explanation (which names it), and nothing at all for an unanswered question, so that
  submitting a blank attempt teaches nothing about the key.
- After a pass (`review.after_pass`, default `full`), or once no attempts remain: the full
  review, every option marked right or wrong, all feedback and the explanation.
- A supervisor or administrator looking at someone else's attempt sees the full review.
What is withheld is never put into the review object, so no page can send it to a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Attempt
from training.content import POINT_MARKER, Catalog, source_label
from training.identity.principal import Principal
from training.quizzes import AttemptResult, QuestionResult, attempt_result

ReviewMode = Literal["full", "chosen"]


@dataclass(frozen=True)
class ReviewOption:
    id: str
    text: str
    chosen: bool
    correct: bool | None  # None: withheld
    feedback: str


@dataclass(frozen=True)
class ReviewPoint:
    id: str
    title: str
    source: str
    lessons: tuple[str, ...]  # "Module title: lesson title", to reread


@dataclass(frozen=True)
class ReviewQuestion:
    position: int
    answered: bool
    credit: float
    correct: bool
    type: str | None = None  # None on an unanswered question in a "chosen" review: nothing is shown
    stem: str | None = None
    scenario: str | None = None
    options: tuple[ReviewOption, ...] = ()  # a "chosen" review holds the chosen options only
    explanation: str | None = None
    points: tuple[ReviewPoint, ...] = ()


@dataclass(frozen=True)
class AttemptReview:
    attempt_id: int
    quiz_id: str
    score: float
    passed: bool
    pass_mark: int
    completion_id: int | None
    mode: ReviewMode
    retakes_left: bool
    questions: tuple[ReviewQuestion, ...]


def review_mode(*, session: Session, actor: Principal, catalog: Catalog, result: AttemptResult) -> tuple[
        ReviewMode, bool]:
    """The review a viewer gets of this attempt, and whether its owner may still retake the quiz."""
    quiz = catalog.quizzes.get(result.quiz_id)
    done = session.exec(select(func.count()).select_from(Attempt).where(
        Attempt.officer_id == result.officer_id, Attempt.quiz_id == result.quiz_id,
        Attempt.status == "submitted")).one()
    passed_once = session.exec(select(func.count()).select_from(Attempt).where(
        Attempt.officer_id == result.officer_id, Attempt.quiz_id == result.quiz_id,
        Attempt.passed == True)).one() > 0  # noqa: E712
    limit = quiz.attempt_limit if quiz else None
    retakes_left = not passed_once and (limit is None or done < limit)
    if quiz is None or actor.officer_id != result.officer_id:
        return "full", retakes_left
    if result.passed:
        return quiz.review.after_pass, retakes_left
    return (quiz.review.after_fail if retakes_left else "full"), retakes_left


def attempt_review(*, session: Session, actor: Principal, catalog: Catalog, attempt_id: int) -> AttemptReview:
    """A submitted attempt as its viewer may see it (see the module docstring)."""
    result = attempt_result(session=session, actor=actor, attempt_id=attempt_id)
    mode, retakes_left = review_mode(session=session, actor=actor, catalog=catalog, result=result)
    quiz = catalog.quizzes.get(result.quiz_id)
    module = quiz.module if quiz else None
    questions = tuple(_review_question(catalog, qr, mode, module) for qr in result.questions)
    return AttemptReview(result.attempt_id, result.quiz_id, result.score, result.passed, result.pass_mark,
                         result.completion_id, mode, retakes_left, questions)


def _review_question(catalog: Catalog, qr: QuestionResult, mode: ReviewMode, module: str | None) -> ReviewQuestion:
    q = qr.question
    answered = bool(qr.chosen)
    if mode == "chosen" and not answered:
        return ReviewQuestion(qr.position, False, qr.credit, False)
    by_id = {o.id: o for o in q.options}
    if mode == "full":
        options = tuple(ReviewOption(oid, by_id[oid].text, oid in qr.chosen, by_id[oid].correct, by_id[oid].feedback)
                        for oid in qr.option_order if oid in by_id)
    else:
        options = tuple(ReviewOption(oid, by_id[oid].text, True, None, by_id[oid].feedback)
                        for oid in qr.option_order if oid in by_id and oid in qr.chosen)
    points = tuple(_point(catalog, pid, module) for pid in q.policy_points)
    return ReviewQuestion(qr.position, answered, qr.credit, qr.correct, q.type, q.stem, qr.scenario, options,
                          q.explanation if mode == "full" else None, points)


def _point(catalog: Catalog, pid: str, module: str | None) -> ReviewPoint:
    point = catalog.policy_points.get(pid)
    lessons = lessons_teaching(catalog, pid, module)
    if point is None:
        return ReviewPoint(pid, pid, "", lessons)
    return ReviewPoint(pid, point.title, source_label(point), lessons)


def lessons_teaching(catalog: Catalog, pid: str, module: str | None) -> tuple[str, ...]:
    """Lessons that teach a policy point (listed or marked in the text), the quiz's own module first."""
    found = []
    for m in sorted(catalog.modules.values(), key=lambda m: (m.id != module, m.order, m.id)):
        for lesson in m.lessons:
            if pid in lesson.policy_points or pid in POINT_MARKER.findall(lesson.body):
                found.append(f"{m.title}: {lesson.title}")
    return tuple(found[:3])
