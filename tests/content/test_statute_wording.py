"""Corrections from issue 8, section 6, held by tests: the statute is taught as the brief states it.

Each rule pairs a finder with a positive control showing the finder flags the wrong wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from training.content import ROOT, Catalog, load_catalog

# Modules whose lessons this file holds to the § 4652 wording (the modules that teach it in full).
TEACHES_4652 = ("checkpoints-task-forces-agreements", "fair-impartial-policing")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@pytest.fixture(scope="module")
def real() -> Catalog:
    return load_catalog(ROOT)


def trainee_texts(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """(where, text) for every lesson, takeaway and question text a trainee reads."""
    for module in catalog.modules.values():
        for lesson in module.lessons:
            yield f"{module.id}/{lesson.id}", lesson.body
        for i, takeaway in enumerate(module.key_takeaways):
            yield f"{module.id} takeaway {i + 1}", takeaway
    for q in catalog.questions.values():
        yield q.id, " ".join([q.stem, q.explanation, *(f"{o.text}. {o.feedback}" for o in q.options)])


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(" ".join(text.split())) if s]


def claims_course_meets_the_law(sentence: str) -> bool:
    """A sentence that calls this course Council-approved training, or says it meets § 2358(e)(3)."""
    about_course = re.search(r"\b(this course|this app|FIPP Academy)\b", sentence, re.I)
    about_law = re.search(r"Council-approved|2358\(e\)\(3\)", sentence)
    negated = re.search(r"\bnot\b|n't\b", sentence)
    return bool(about_course and about_law and not negated)


def settles_category_b_for_the_fipp(sentence: str) -> bool:
    """A sentence that says a FIPP breach IS Category B conduct, not that it can be."""
    return bool(re.search(r"Category B", sentence) and re.search(r"\bFIPP\b", sentence)
                and not re.search(r"\bcan\b|\bcould\b|\bwhether\b|\?", sentence))


def test_the_finders_flag_the_wrong_wording():
    assert claims_course_meets_the_law("This course is part of that Council-approved training.")
    assert not claims_course_meets_the_law("This course is not itself Council-approved training.")
    assert settles_category_b_for_the_fipp("Ignoring the FIPP is Category B conduct.")
    assert not settles_category_b_for_the_fipp("A willful FIPP breach can be Category B conduct.")


def test_no_text_claims_this_course_is_the_training_the_law_requires(real):
    found = [(where, s) for where, text in trainee_texts(real) for s in sentences(text)
             if claims_course_meets_the_law(s)]
    assert found == []


def test_category_b_for_a_fipp_breach_is_taught_as_can_be(real):
    found = [(where, s) for where, text in trainee_texts(real) for s in sentences(text)
             if settles_category_b_for_the_fipp(s)]
    assert found == []


def test_the_invented_cycle_example_is_gone(real):
    assert [where for where, text in trainee_texts(real) if "January 2026" in text] == []


def test_the_4652_point_names_customs_the_attorney_general_and_the_emergency_exception(real):
    statement = real.policy_points["governor-only-287g"].statement
    assert "1401(i)" in statement and "consultation with the Attorney General" in statement
    assert "emergency" in statement
    assert real.policy_points["agreements-emergency-exception"].source == "statute"


@pytest.mark.parametrize("module_id", TEACHES_4652)
def test_lessons_teaching_4652_also_teach_its_emergency_exception(real, module_id):
    lessons = [lesson for lesson in real.modules[module_id].lessons if "{pp:governor-only-287g}" in lesson.body]
    assert lessons
    assert [lesson.id for lesson in lessons if "emergency" not in lesson.body] == []
