"""Re-certify: what changed in a module since the trainee passed it, and the short quiz on it."""

import streamlit as st

from app_pages import common
from app_pages.trainee.quiz_view import show_error, show_questions, show_review
from db.engine import read_session, write_session
from training.administration.recert import recertifications_for_officer, start_delta_attempt, what_changed
from training.errors import TrainingError
from training.localtime import format_local_date
from training.quizzes import DELTA_PREFIX, find_open_attempt, submit_attempt
from training.review import attempt_review

who = common.require("trainee", "supervisor", "admin")
cat = common.catalog()
st.title("Re-certify")
show_error()
RESULT = "recertify.result"
shown = st.session_state.get(RESULT)
if shown:
    with read_session(common.engine()) as s:
        show_review(attempt_review(session=s, actor=who, catalog=cat, attempt_id=shown))
    if st.button("Done", key="recertify.done"):
        st.session_state.pop(RESULT, None)
        st.rerun()
    st.stop()
with read_session(common.engine()) as s:
    due = recertifications_for_officer(session=s, catalog=cat, officer_id=who.officer_id,
                                       department_id=who.department_id)
if not due:
    st.success("Nothing to re-certify: your completions match the current content.")
    st.stop()
ids = [m.id for m in cat.modules_in_order() if m.id in due]
wanted = st.session_state.get("module.selected")
module_id = st.selectbox("Module", ids, index=ids.index(wanted) if wanted in ids else 0,
                         format_func=lambda i: cat.modules[i].title, key="recertify.module")
with read_session(common.engine()) as s:
    delta = what_changed(session=s, actor=who, catalog=cat, module_id=module_id)
    open_id = find_open_attempt(session=s, officer_id=who.officer_id, quiz_id=DELTA_PREFIX + module_id)
st.caption(f"You completed this module on {format_local_date(delta.completed_at)}; since then "
           + " and ".join(due[module_id].reasons) + ".")
st.subheader("What changed")
for change in delta.points:
    with st.container(border=True):
        st.markdown(f"**{common.plain(change.title)}** ({change.kind})")
        st.caption("Before")
        st.text(change.before or "(none)")
        st.caption("Now")
        st.text(change.after or "(the model wording)")
for title, diff in delta.lesson_diffs:
    with st.expander(f"Lesson: {title} (lines removed -, added +)"):
        st.code(diff, language=None)


def _submit(attempt_id: int) -> None:
    acting = common.acting_principal(who)  # callbacks run before the router: check the session first
    if acting is None:
        return
    with write_session(common.engine()) as s:
        st.session_state[RESULT] = submit_attempt(session=s, actor=acting, catalog=cat,
                                                  attempt_id=attempt_id).attempt_id


st.subheader("Re-certification quiz")
if open_id is None and not st.button("Start the re-certification quiz", key="recertify.start", type="primary"):
    st.stop()
try:
    with write_session(common.engine()) as s:
        attempt = start_delta_attempt(session=s, actor=who, catalog=cat, module_id=module_id)
except TrainingError as exc:
    st.error(str(exc))
    st.stop()
show_questions(who, attempt, "recertify")  # each question reruns on its own when answered (quiz_view)
st.button("Submit answers", key=f"recertify.submit.{attempt.attempt_id}", type="primary", on_click=_submit,
          args=(attempt.attempt_id,))
