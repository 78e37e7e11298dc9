"""Supervisors: who in the department is trained, who is not, and who is overdue."""

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.supervisor.picker import department_choice
from db.engine import read_session
from training.errors import TrainingError
from training.oversight import department_dashboard

who = common.require("supervisor", "admin")
st.title("Department dashboard")
dept_id = department_choice(who, "dashboard.department")
period = st.radio("Trend by", ["month", "week"], horizontal=True, key="dashboard.period")
try:
    with read_session(common.engine()) as s:
        board = department_dashboard(session=s, actor=who, catalog=common.catalog(), department_id=dept_id,
                                     period=period)
except TrainingError as exc:
    st.error(str(exc))
    st.stop()

titles = dict(board.modules)
st.subheader(common.plain(board.department.name))
officers = board.rates[0].officers if board.rates else 0
a, b, c = st.columns(3)
a.metric("Active officers", officers)
b.metric("Modules completed", f"{board.overall_rate:.0%}")
c.metric("Overdue assignments", len(board.overdue))
if not officers:
    st.info("This department has no active officers yet.")
    st.stop()

st.markdown("#### Completion rate per module")
rates = pd.DataFrame([{"Module": titles.get(r.module_id, r.module_id), "Completion rate": 100 * r.completion_rate,
                       "Passed": r.passed, "Overdue": r.overdue, "In progress": r.in_progress,
                       "Officers": r.officers} for r in board.rates])
st.dataframe(rates, hide_index=True, width="stretch", key="dashboard.rates",
             column_config={"Completion rate": st.column_config.ProgressColumn(format="%.0f%%", min_value=0,
                                                                               max_value=100)})

st.markdown("#### Overdue")
if board.overdue:
    st.dataframe(pd.DataFrame([{"Officer": o.officer_name, "Badge": o.badge_number,
                                "Module": titles.get(o.module_id, o.module_id), "Due": o.due_date,
                                "Cycle": o.cycle, "Attempts": o.attempts} for o in board.overdue]),
                 hide_index=True, width="stretch", key="dashboard.overdue")
else:
    st.success("No one is overdue.")

st.markdown("#### Completions over time")
if board.trend:
    trend = pd.DataFrame([{"Period": pd.Timestamp(p.period_start), "Completions": p.completions,
                           "Total": p.cumulative} for p in board.trend]).set_index("Period")
    st.line_chart(trend, y_label="Completions")
else:
    st.info("No completions yet.")

st.markdown("#### Completion matrix")
st.caption("passed: quiz passed · overdue: not passed and an assignment's due date has gone by · "
           "in progress: a lesson read or a quiz tried · not started: none of these.")
show = st.selectbox("Show", ["Status", "Completed", "Best score %", "Attempts"], key="dashboard.show")
field = {"Status": "status", "Completed": "completed_at", "Best score %": "best_score", "Attempts": "attempts"}[show]
cells = pd.DataFrame([{"Officer": f"{c.officer_name} ({c.badge_number})", "Module": titles.get(c.module_id),
                       "value": (f"{c.completed_at:%Y-%m-%d}" if c.completed_at else None) if field == "completed_at"
                       else getattr(c, field)} for c in board.matrix])
matrix = cells.pivot(index="Officer", columns="Module", values="value")[[t for _, t in board.modules]]
st.dataframe(matrix, width="stretch", key="dashboard.matrix")
