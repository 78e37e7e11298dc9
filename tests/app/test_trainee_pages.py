"""The trainee pages driven by widget keys: lessons in order, a quiz saved as you go, the result."""

import json

from sqlalchemy import text

from db.engine import read_session

MODULE = "app_pages/trainee/module.py"


def read_all_lessons(at):  # type: ignore[no-untyped-def]
    at.button(key="module.next.sample-module.first-lesson").click().run()
    at.button(key="module.next.sample-module.second-lesson").click().run()
    return at


def test_lessons_are_read_in_order_and_progress_is_saved(run_page, people, app_env):
    me = people["north_trainee"]
    at = run_page(MODULE, me, **{"module.selected": "sample-module"})
    assert at.header[0].value == "First lesson"
    at.button(key="module.next.sample-module.first-lesson").click().run()
    assert at.header[0].value == "Second lesson"
    again = run_page(MODULE, me, **{"module.selected": "sample-module"})  # a new browser session
    assert again.header[0].value == "Second lesson"


def test_the_quiz_stays_closed_until_every_lesson_is_read(run_page, people):
    at = run_page(MODULE, people["north_trainee"], **{"module.selected": "sample-module",
                                                      "module.step.sample-module": "__quiz__"})
    assert any("Read the remaining 2 lessons first" in i.value for i in at.info)


def test_answers_are_saved_as_the_trainee_goes_and_resume_in_a_new_session(run_page, people, catalog, app_env):
    me = people["north_trainee"]
    at = read_all_lessons(run_page(MODULE, me, **{"module.selected": "sample-module"}))
    at.button(key="quiz.start.sample-quiz").click().run()
    first = [r for r in at.radio if r.key and r.key.startswith("quiz.")][0]
    position = int(first.key.rsplit(".", 1)[1])
    with read_session(app_env) as s:
        order = s.execute(text("select option_order from attempt_question where position = :p"), {"p": position})
        pick = json.loads(order.scalar())[-1]
    first.set_value(pick).run()
    with read_session(app_env) as s:
        assert json.loads(s.execute(text("select chosen from draft_answer")).scalar()) == [pick]
    resumed = run_page(MODULE, me, **{"module.selected": "sample-module", "module.step.sample-module": "__quiz__"})
    assert [r for r in resumed.radio if r.key == first.key][0].value == pick


def test_a_choice_shown_but_never_saved_is_saved_by_the_next_run(run_page, people, catalog, app_env):
    """When a replica dies, Streamlit's page reruns on another one with the widget values it
    holds: a choice whose page run was cut off arrives with no callback (a new session has none
    registered). The page saves what it shows, so what the trainee sees is what is graded."""
    me = people["north_trainee"]
    at = read_all_lessons(run_page(MODULE, me, **{"module.selected": "sample-module"}))
    at.button(key="quiz.start.sample-quiz").click().run()
    first = [r for r in at.radio if r.key and r.key.startswith("quiz.")][0]
    position = int(first.key.rsplit(".", 1)[1])
    with read_session(app_env) as s:
        order = s.execute(text("select option_order from attempt_question where position = :p"), {"p": position})
        pick = json.loads(order.scalar())[-1]
        assert s.execute(text("select count(*) from draft_answer")).scalar() == 0
    resumed = run_page(MODULE, me, **{"module.selected": "sample-module", "module.step.sample-module": "__quiz__",
                                      first.key: pick})  # the value the browser held, sent to a new session
    assert [r for r in resumed.radio if r.key == first.key][0].value == pick
    with read_session(app_env) as s:
        saved = s.execute(text("select chosen from draft_answer where position = :p"), {"p": position}).scalar()
    assert json.loads(saved) == [pick]


def test_a_blank_failed_attempt_with_retakes_left_shows_the_score_and_no_key(run_page, people, catalog, app_env):
    me = people["north_trainee"]
    at = read_all_lessons(run_page(MODULE, me, **{"module.selected": "sample-module"}))
    at.button(key="quiz.start.sample-quiz").click().run()
    [b for b in at.button if b.key and b.key.startswith("quiz.submit.")][0].click().run()
    # Nothing answered: the first press is refused (counted on the server) and asks for a confirmation.
    with read_session(app_env) as s:
        assert s.execute(text("select count(*) from attempt where status <> 'open'")).scalar() == 0
    assert any(f"{len(catalog.questions)} question(s) not answered yet" in w.value for w in at.warning)
    assert [b for b in at.button if b.key and b.key.startswith("quiz.submit.")][0].disabled
    [c for c in at.checkbox if c.key and c.key.startswith("quiz.confirm.")][0].check().run()
    [b for b in at.button if b.key and b.key.startswith("quiz.submit.")][0].click().run()
    assert not at.exception
    assert any("Not passed: you scored 0%" in e.value for e in at.error)
    shown = " ".join(m.value for m in [*at.markdown, *at.caption])
    assert shown.count("You did not answer this question.") == len(catalog.questions)  # the page rendered
    assert [q.explanation for q in catalog.questions.values() if q.explanation in shown] == []
    assert [o.text for q in catalog.questions.values() for o in q.options if o.text in shown] == []


def test_a_broken_bank_keeps_trainees_out_of_the_affected_quiz(run_page, people, monkeypatch, tmp_path):
    import shutil

    import streamlit as st

    from tests.conftest import FIXTURE_CONTENT

    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    (root / "question_bank" / "broken.yaml").write_text("questions:\n  - id: smp-009\n    pool: sample\n",
                                                       encoding="utf-8")
    monkeypatch.setenv("FIPP_CONTENT_ROOT", str(root))
    st.cache_resource.clear()
    at = read_all_lessons(run_page(MODULE, people["north_trainee"], **{"module.selected": "sample-module"}))
    assert any("not available" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key and b.key.startswith("quiz.start")]
