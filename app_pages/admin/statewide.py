"""Statewide view: compliance per department, sortable, with a drill-down into one department."""

import pandas as pd
import streamlit as st

from app_pages import common
from db.engine import read_session
from training.administration.cycles import list_cycles
from training.oversight import compliance_per_department, department_dashboard, statewide_compliance

who = common.require("admin",)
st.title("Statewide view")
cat = common.catalog()
modules = cat.modules_in_order()
with read_session(common.engine()) as s:
    cycles = [c.label for c in list_cycles(s)]
cycle = st.selectbox("Training cycle", cycles, key="statewide.cycle") if cycles else None
with read_session(common.engine()) as s:
    summary = compliance_per_department(statewide_compliance(session=s, actor=who, catalog=cat, cycle=cycle))
st.caption("Rates count assigned modules only: passed over assigned, leaving out waived work. A blank cell: "
           "the module is assigned to no one there.")
if not summary:
    st.info("No departments yet.")
    st.stop()

officers = sum(d.officers for d in summary)
cells = sum(sum(d.due_by_module.values()) for d in summary)
a, b, c = st.columns(3)
a.metric("Departments", len(summary))
b.metric("Active officers", officers)
c.metric("Modules completed statewide",
         f"{sum(sum(d.passed_by_module.values()) for d in summary) / cells:.0%}" if cells else "-")

sort = st.selectbox("Sort by", ["Least compliant first", "Most overdue first", "Largest first", "Name"],
                    key="statewide.sort")
key = {"Least compliant first": lambda d: (d.overall_rate, d.name),
       "Most overdue first": lambda d: (-d.overdue, d.name),
       "Largest first": lambda d: (-d.officers, d.name), "Name": lambda d: (d.name.lower(),)}[sort]
rows = sorted(summary, key=key)


def _pct(rate: float | None) -> float | None:
    return None if rate is None else 100 * rate


table = pd.DataFrame([{"Department": d.name, "Code": d.code, "Officers": d.officers, "Overall": 100 * d.overall_rate,
                       "Overdue": d.overdue, **{m.title: _pct(d.rate(m.id)) for m in modules}} for d in rows])
percent = st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100)
st.dataframe(table, hide_index=True, width="stretch", key="statewide.table",
             column_config={"Overall": percent, **{m.title: st.column_config.NumberColumn(format="%.0f%%")
                                                   for m in modules}})

st.markdown("#### Drill down")
names = {d.department_id: f"{d.name} ({d.code})" for d in rows}
pick = st.selectbox("Department", list(names), format_func=names.__getitem__, index=None,
                    placeholder="Choose a department", key="statewide.department")
if pick is not None:
    with read_session(common.engine()) as s:
        board = department_dashboard(session=s, actor=who, catalog=cat, department_id=pick, cycle=cycle)
    titles = dict(board.modules)
    st.subheader(common.plain(board.department.name))
    st.dataframe(pd.DataFrame([{"Module": titles.get(r.module_id), "Completion rate": 100 * r.completion_rate,
                                "Assigned": r.assigned, "Passed": r.passed, "Overdue": r.overdue,
                                "Waived": r.waived, "In progress": r.in_progress}
                               for r in board.rates]),
                 hide_index=True, width="stretch", key="statewide.rates", column_config={"Completion rate": percent})
    st.markdown(f"Overdue assignments: **{len(board.overdue)}**")
    if board.overdue:
        st.dataframe(pd.DataFrame([{"Officer": o.officer_name, "Badge": o.badge_number,
                                    "Module": titles.get(o.module_id), "Due": o.due_date, "Cycle": o.cycle}
                                   for o in board.overdue]), hide_index=True, width="stretch",
                     key="statewide.overdue")
    st.caption("The full dashboard, item analysis and exports for this department are on the Oversight pages.")
