"""One module: its lessons in order (progress saved), then its quiz and the result."""

import streamlit as st

from app_pages import common
from app_pages.trainee.quiz_view import show_quiz
from db.engine import read_session, write_session
from training.administration.wording import wording_in_force
from training.content import render_markers, source_label
from training.progress import lessons_read, mark_lesson_read

who = common.require("trainee", "supervisor", "admin")
cat = common.catalog()
modules = cat.modules_in_order()
if not modules:
    st.info("No training modules are published yet.")
    st.stop()
ids = [m.id for m in modules]
wanted = st.session_state.get("module.selected") or st.query_params.get("module")
module_id = st.selectbox("Module", ids, index=ids.index(wanted) if wanted in ids else 0,
                         format_func=lambda i: f"{cat.modules[i].order}. {cat.modules[i].title}", key="module.pick")
st.session_state["module.selected"] = module_id
if st.query_params.get("module") != module_id:  # setting it sends the browser a message, even unchanged
    st.query_params["module"] = module_id  # a reload, a bookmark or a copied link opens this module again
module = cat.modules[module_id]
st.title(module.title)

with read_session(common.engine()) as s:
    done = lessons_read(session=s, officer_id=who.officer_id, module_id=module.id)
lesson_ids = [lesson.id for lesson in module.lessons]
first_unread = next((i for i, lid in enumerate(lesson_ids) if lid not in done), len(lesson_ids))
st.progress(len(done & set(lesson_ids)) / len(lesson_ids), text=f"Lessons read: {len(done & set(lesson_ids))} of {len(lesson_ids)}")

choices = lesson_ids + ["__quiz__"]
default = choices[min(first_unread, len(choices) - 1)]
step_key = f"module.step.{module.id}"
if st.session_state.get(step_key) not in choices:
    st.session_state[step_key] = default
step = st.radio("Go to", choices, key=step_key, horizontal=True,
                format_func=lambda c: "Quiz" if c == "__quiz__" else
                ("✓ " if c in done else "") + next(le.title for le in module.lessons if le.id == c))
st.divider()


def go_next(current: str) -> None:
    acting = common.acting_principal(who)  # callbacks run before the router: check the session first
    if acting is None:
        return
    with write_session(common.engine()) as s:
        mark_lesson_read(session=s, actor=acting, catalog=cat, module_id=module.id, lesson_id=current)
    st.session_state[step_key] = choices[choices.index(current) + 1]


if step != "__quiz__":
    lesson = next(le for le in module.lessons if le.id == step)
    st.header(lesson.title)
    st.markdown(render_markers(lesson.body, cat.policy_points))
    if lesson.policy_points:
        with read_session(common.engine()) as s:  # read here: the quiz step shows no adopted wording
            adopted = {p: w.text for p, w in wording_in_force(session=s, department_id=who.department_id).items()
                       if w.text}
        with st.expander("Rules in this lesson and where they come from", expanded=False):
            for pid in lesson.policy_points:
                point = cat.policy_points[pid]
                st.markdown(f"**{point.title}**: {point.statement}  \n*Source: {source_label(point)}*")
                if pid in adopted:  # entered by an administrator: shown as plain text, never Markdown
                    st.caption("Your department's adopted wording:")
                    st.text(adopted[pid])
                elif point.adopted_wording:
                    st.caption(f"Your agency's adopted wording: {point.adopted_wording}")
    is_last = step == lesson_ids[-1]
    if is_last and module.key_takeaways:
        st.subheader("Key takeaways")
        st.markdown("\n".join(f"- {t}" for t in module.key_takeaways))
    label = "Mark as read and go to the quiz" if is_last else "Mark as read and continue"
    st.button(label, key=f"module.next.{module.id}.{lesson.id}", type="primary", on_click=go_next, args=(lesson.id,))
else:
    if module.quiz_id is None:
        st.info("This module has no quiz.")
    else:
        show_quiz(who, cat, module.quiz_id, unread=len(set(lesson_ids) - done))
