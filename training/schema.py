"""The shape of training content, as strict, frozen pydantic models.

Strict mode: no coercion ("3" is not 3, "yes" is not true). Unknown fields are errors, so
a misspelt key never silently vanishes. The content files under modules/ and
question_bank/ are validated against these; question_bank/README.md describes them for
the training coordinators who write them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=8000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
SourceTier = Literal["policy", "statute", "summary", "context"]
QuestionType = Literal["single", "multi", "true_false"]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class PolicyPoint(Strict):
    id: Id
    title: ShortText
    statement: Text
    source: SourceTier
    source_note: ShortText | None = None  # e.g. "20 V.S.A. § 2366(a)(1)"
    adopted_wording: str = ""  # an agency pastes its adopted FIPP wording here


class PolicyPointFile(Strict):
    policy_points: tuple[PolicyPoint, ...]


class Option(Strict):
    id: Id
    text: Text
    correct: bool = False
    feedback: Text


class Question(Strict):
    id: Id
    pool: Id
    type: QuestionType
    scenario: Id | None = None
    stem: Text
    options: tuple[Option, ...] = Field(min_length=2, max_length=6)
    explanation: Text
    difficulty: Literal["easy", "medium", "hard"]
    policy_points: tuple[Id, ...] = Field(min_length=1)


class Scenario(Strict):
    id: Id
    title: ShortText | None = None
    text: Text


class Draw(Strict):
    pool: Id
    count: int = Field(ge=1, le=200)


class Review(Strict):
    """What a trainee sees of a submitted attempt. `chosen`: the score, which questions were
    wrong, the feedback on the options they chose, and the policy points and lessons to reread,
    never the correct option nor anything for unanswered questions. `full`: everything."""

    after_fail: Literal["chosen", "full"] = "chosen"  # a failed attempt while retakes remain
    after_pass: Literal["full", "chosen"] = "full"  # once passed (or no attempts remain: always full)


class Quiz(Strict):
    id: Id
    title: ShortText
    module: Id | None = None  # None: an exam that is not one module's quiz
    pass_mark: int = Field(ge=1, le=100)  # percent
    attempt_limit: int | None = Field(default=None, ge=1)
    retake_wait_minutes: int = Field(default=0, ge=0)
    shuffle_options: bool = True
    review: Review = Review()
    draw: tuple[Draw, ...] = Field(min_length=1)


class BankFile(Strict):
    quizzes: tuple[Quiz, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    questions: tuple[Question, ...] = ()


class LessonRef(Strict):
    id: Id
    title: ShortText
    file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+\.md$")]
    policy_points: tuple[Id, ...] = ()


class ModuleFile(Strict):
    id: Id
    title: ShortText
    order: int = Field(ge=0)
    summary: Text
    estimated_minutes: int = Field(ge=1, le=240)
    lessons: tuple[LessonRef, ...] = Field(min_length=1)
    quiz: Id | None = None
    key_takeaways: tuple[Text, ...] = ()
