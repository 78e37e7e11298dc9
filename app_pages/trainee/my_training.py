"""A trainee's modules, each with its status and due date."""

import streamlit as st

from app_pages import common
from db.engine import read_session
from training.administration.cycles import current_cycle
from training.localtime import format_local_date
from training.progress import module_statuses

who = common.require("trainee", "supervisor", "admin")
cat = common.catalog()
st.title("My training")
st.caption("The updated Vermont model Fair and Impartial Policing Policy (effective April 23, 2024). "
           "Your agency's adopted policy governs; it may be stricter than the model, never looser.")
if who.is_admin and cat.problems:
    st.warning(f"The training content has {len(cat.problems)} problem(s); affected quizzes are closed to "
               "trainees. See Content and coverage.")
with read_session(common.engine()) as s:
    statuses = module_statuses(session=s, actor=who, catalog=cat)
    cycle = current_cycle(s)
if cycle is not None:
    st.markdown(f"**Training cycle {common.plain(cycle.label)}**, due {cycle.due_date:%B %d, %Y}. "
                "Earlier cycles' completions are under My records.")
if not statuses:
    st.info("No training modules are published yet.")
BADGE = {"passed": ":green[Passed]", "overdue": ":red[Overdue]", "in progress": ":orange[In progress]",
         "not started": ":gray[Not started]", "re-certify": ":orange[Re-certify: the content changed]",
         "waived": ":blue[Waived]"}
for st_ in statuses:
    m = st_.module
    with st.container(border=True):
        left, right = st.columns([4, 1])
        with left:
            st.subheader(f"{m.order}. {m.title}")
            assigned = "" if st_.assigned else " · not assigned"
            st.markdown(f"{BADGE[st_.status]}{assigned} · {len(m.lessons)} lessons, about {m.estimated_minutes} minutes"
                        f" · lessons read: {st_.lessons_read}/{len(m.lessons)}")
            details = []
            if st_.due_date:
                details.append(f"Due {st_.due_date:%B %d, %Y} (cycle {st_.cycle})")
            if st_.best_score is not None:
                details.append(f"Best score {st_.best_score:.0f}%")
            if st_.completed_at:
                details.append(f"Completed {format_local_date(st_.completed_at)}")
            if details:
                st.caption(" · ".join(details))
            st.write(m.summary)
        with right:
            if st.button("Open", key=f"my_training.open.{m.id}", type="primary" if st_.status != "passed" else "secondary"):
                st.session_state["module.selected"] = m.id
                st.switch_page("app_pages/trainee/module.py")
            if st_.status == "re-certify" and st.button("Re-certify", key=f"my_training.recertify.{m.id}",
                                                        type="primary"):
                st.session_state["module.selected"] = m.id
                st.switch_page("app_pages/trainee/recertify.py")
