"""Supervisors: who in the department is trained, who is not, and who is overdue."""

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.supervisor.picker import cycle_choice, department_choice
from db.engine import read_session
from training.administration.recert import department_recertifications
from training.errors import TrainingError
from training.localtime import format_local_date
from training.oversight import department_dashboard
from training.trend import Period, trend_bars

who = common.require("supervisor", "admin")
st.title("Department dashboard")
dept_id = department_choice(who, "dashboard.department")
cycle = cycle_choice("dashboard.cycle")
periods: list[Period] = ["month", "week"]
period = st.radio("Trend by", periods, horizontal=True, key="dashboard.period") or "month"  # None only when no option is preselected
try:
    with read_session(common.engine()) as s:
        board = department_dashboard(session=s, actor=who, catalog=common.catalog(), department_id=dept_id,
                                     period=period, cycle=cycle)
        recert = department_recertifications(session=s, actor=who, catalog=common.catalog(),
                                             department_id=dept_id, cycle=cycle)
except TrainingError as exc:
    st.error(str(exc))
    st.stop()

titles = dict(board.modules)
st.subheader(common.plain(board.department.name))
officers = board.rates[0].officers if board.rates else 0
a, b, c = st.columns(3)
a.metric("Active officers", officers)
b.metric("Assigned modules completed", f"{board.overall_rate:.0%}",
         help="Passed over assigned module assignments, leaving out waived work.")
c.metric("Overdue assignments", len(board.overdue))
if not officers:
    st.info("This department has no active officers yet.")
    st.stop()

st.markdown("#### Completion rate per module")
rates = pd.DataFrame([{"Module": titles.get(r.module_id, r.module_id), "Completion rate": 100 * r.completion_rate,
                       "Assigned": r.assigned, "Passed": r.passed, "Overdue": r.overdue, "Waived": r.waived,
                       "In progress": r.in_progress} for r in board.rates])
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

st.markdown("#### Must re-certify")
if recert:
    st.caption("Passed, but the module's content or the department's adopted wording changed since; each "
               "officer takes a short re-certification quiz on what changed.")
    st.dataframe(pd.DataFrame([{"Officer": r.officer_name, "Badge": r.badge_number,
                                "Module": titles.get(r.module_id, r.module_id), "Completed": r.completed_at,
                                "Why": "; ".join(r.reasons)} for r in recert]),
                 hide_index=True, width="stretch", key="dashboard.recertify")
else:
    st.success("No one needs to re-certify.")

st.markdown("#### Completions over time")
bars = trend_bars([(p.period_start, p.completions) for p in board.trend], today=board.today, period=period)
if bars:
    # Bars, not a line: one period still draws, and the unfinished current period is its own series.
    SO_FAR = f"This {period} so far"
    st.bar_chart(pd.DataFrame([{"Period": b.label, "Completions": None if b.so_far else b.completions,
                                SO_FAR: b.completions if b.so_far else None} for b in bars]),
                 x="Period", y=["Completions", SO_FAR], sort=False, y_label="Completions",
                 alt="Completions per " + period + ": " + "; ".join(f"{b.label} {b.completions}" for b in bars))
    now = bars[-1]
    st.caption(f"{now.label}: {now.completions} completion(s) so far; the {period} is not over, so it is shown "
               f"apart from finished {period}s. {now.cumulative} completion(s) in all since {bars[0].label}.")
else:
    st.info("No completions yet.")

st.markdown("#### Completion matrix")
st.caption("passed: quiz passed · waived: excused by a waiver · overdue: not passed and an assignment's due "
           "date has gone by · in progress: a lesson read or a quiz tried · not started: none of these. "
           "A cell marked (not assigned) is not counted in the rates.")
show = st.selectbox("Show", ["Status", "Completed", "Best score %", "Attempts"], key="dashboard.show")
field = {"Status": "status", "Completed": "completed_at", "Best score %": "best_score", "Attempts": "attempts"}[show]
cells = pd.DataFrame([{"Officer": f"{c.officer_name} ({c.badge_number})", "Module": titles.get(c.module_id),
                       "value": (format_local_date(c.completed_at, "%Y-%m-%d") or None) if field == "completed_at"
                       else getattr(c, field) if c.assigned or field != "status"
                       else f"{c.status} (not assigned)"} for c in board.matrix])
matrix = cells.pivot(index="Officer", columns="Module", values="value")[[t for _, t in board.modules]]
st.dataframe(matrix, width="stretch", key="dashboard.matrix")
