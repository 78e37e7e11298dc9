"""The real curriculum under modules/ and question_bank/ holds to the rules in question_bank/README.md.

These fail when content drifts: a new question without feedback, a point nobody tests, an
answer key that always sits in the same place.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from training.content import ROOT, Catalog, load_catalog
from training.content.coverage import MIN_QUESTIONS_PER_POINT, TESTED_TIERS, coverage_matrix, pool_modules
from training.content.readability import TARGET_GRADE, grade_report

# Real people named in the founding document's case studies: never in trainee-facing text.
REAL_NAMES = ("Durvi", "Martinez")


@pytest.fixture(scope="module")
def real() -> Catalog:
    return load_catalog(ROOT)


def test_the_real_content_loads_without_a_single_problem(real):
    assert real.problems == ()


def test_there_are_at_least_nine_modules_each_with_lessons_and_a_quiz(real):
    assert len(real.modules) >= 9
    for module in real.modules.values():
        assert module.lessons and all(lesson.body.strip() for lesson in module.lessons), module.id
        assert module.quiz_id in real.quizzes, module.id
        assert module.key_takeaways, module.id


def test_the_bank_has_130_questions_and_12_per_module(real):
    per_module = Counter(pool_modules(real).get(q.pool, q.pool) for q in real.questions.values())
    assert len(real.questions) >= 130
    assert {m: per_module[m] for m in real.modules if per_module[m] < 12} == {}


def test_at_least_a_fifth_are_select_all_that_apply(real):
    multi = sum(q.type == "multi" for q in real.questions.values())
    assert multi * 5 >= len(real.questions)


def test_choice_questions_have_three_to_five_options_each_with_feedback(real):
    for q in real.questions.values():
        if q.type != "true_false":
            assert 3 <= len(q.options) <= 5, q.id
        assert all(o.feedback.strip() for o in q.options), q.id
        assert q.explanation.strip(), q.id


def test_every_tested_policy_point_has_at_least_three_questions(real):
    matrix = coverage_matrix(real)
    thin = {pid: sum(matrix[pid].values()) for pid, p in real.policy_points.items()
            if p.source in TESTED_TIERS and sum(matrix[pid].values()) < MIN_QUESTIONS_PER_POINT}
    assert thin == {}


def test_no_two_questions_share_a_stem(real):
    stems = Counter(re.sub(r"\W+", " ", q.stem).strip().lower() for q in real.questions.values())
    assert [s for s, n in stems.items() if n > 1] == []


def test_the_answer_key_is_spread_across_positions(real):
    firsts = Counter(next(i for i, o in enumerate(q.options) if o.correct)
                     for q in real.questions.values() if q.type == "single")
    total = sum(firsts.values())
    assert len(firsts) >= 3
    assert max(firsts.values()) / total < 0.5


def test_every_module_reminds_that_agencies_may_be_stricter_never_looser(real):
    for module in real.modules.values():
        text = " ".join(lesson.body for lesson in module.lessons)
        assert "{pp:floor-not-ceiling}" in text, module.id


def test_trainee_facing_text_never_names_real_people_from_case_studies(real):
    files = [*ROOT.glob("modules/**/*.md"), *ROOT.glob("modules/**/*.yaml"), *ROOT.glob("question_bank/*.yaml")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not [n for n in REAL_NAMES if n in text], path


def test_every_summary_point_can_take_the_agencys_adopted_wording(real):
    # The slot exists (empty until an agency pastes its wording) on every point.
    assert all(hasattr(p, "adopted_wording") for p in real.policy_points.values())
    raw = (ROOT / "modules" / "policy_points.yaml").read_text(encoding="utf-8")
    assert raw.count("adopted_wording:") == len(real.policy_points)


def test_lessons_and_questions_read_at_or_below_grade_ten_on_average(real):
    report = grade_report(real)
    assert report["lesson grade level (mean)"] <= TARGET_GRADE
    assert report["question grade level (mean)"] <= TARGET_GRADE


def test_the_certification_exam_draws_from_its_own_pool_for_every_module(real):
    exams = [q for q in real.quizzes.values() if q.module is None]
    assert exams
    pools = {d.pool for d in exams[0].draw}
    assert pools == {f"exam-{m}" for m in real.modules}
    module_pools = {d.pool for q in real.quizzes.values() if q.module for d in q.draw}
    assert pools.isdisjoint(module_pools)
    assert sum(len(real.pool(p)) for p in pools) >= 45
