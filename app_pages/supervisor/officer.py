"""Officer records: every attempt, and each answer as the officer saw it."""

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.supervisor.picker import department_choice
from db.engine import read_session
from training.errors import TrainingError
from training.localtime import format_local
from training.oversight import attempt_answers, department_roster, officer_attempts

who = common.require("supervisor", "admin")
st.title("Officer records")
dept_id = department_choice(who, "officer.department")
cat = common.catalog()
try:
    with read_session(common.engine()) as s:
        roster = department_roster(session=s, actor=who, department_id=dept_id)
except TrainingError as exc:
    st.error(str(exc))
    st.stop()
if not roster:
    st.info("This department has no active officers.")
    st.stop()
names = {o.officer_id: f"{o.name} ({o.badge_number})" for o in roster}
officer_id = st.selectbox("Officer", list(names), format_func=names.__getitem__, index=None,
                          placeholder="Choose an officer", key="officer.pick")
if officer_id is None:
    st.stop()
with read_session(common.engine()) as s:
    attempts = officer_attempts(session=s, actor=who, officer_id=officer_id)
st.subheader(common.plain(names[officer_id]))  # user data, never Markdown (finding 9)
if not attempts:
    st.info("No quiz attempts yet.")
    st.stop()


def quiz_title(quiz_id: str) -> str:
    quiz = cat.quizzes.get(quiz_id)
    return quiz.title if quiz else quiz_id


st.dataframe(pd.DataFrame([{
    "Attempt": a.attempt_id, "Quiz": quiz_title(a.quiz_id), "Try": a.attempt_number, "Started": format_local(a.started_at),
    "Submitted": format_local(a.submitted_at), "Score %": a.score,
    "Result": "open" if a.status == "open" else ("passed" if a.passed else "not passed")} for a in attempts]),
    hide_index=True, width="stretch", key="officer.attempts")
submitted = {a.attempt_id: a for a in attempts if a.status == "submitted"}
if not submitted:
    st.stop()
pick = st.selectbox("Review an attempt", list(submitted), key="officer.attempt",
                    format_func=lambda i: f"Attempt {i}: {quiz_title(submitted[i].quiz_id)}, "
                                          f"try {submitted[i].attempt_number}")
with read_session(common.engine()) as s:
    answers = attempt_answers(session=s, actor=who, officer_id=officer_id, attempt_id=pick)
for ans in answers:
    with st.container(border=True):
        verdict = "correct" if ans.correct else f"not correct (credit {ans.credit:.2f})"
        st.markdown(f"**Question {ans.position}** · `{ans.question_id}` · version `{ans.question_hash[:12]}` · "
                    f"{verdict}")
        st.text(ans.stem)
        st.dataframe(pd.DataFrame([{"Shown": i, "Option": text, "Chosen": oid in ans.chosen, "Correct": right}
                                   for i, (oid, text, right) in enumerate(ans.options_shown, start=1)]),
                     hide_index=True, width="stretch", key=f"officer.answer.{ans.position}")
