"""Administrators: assign modules to a department or to chosen officers, with a due date and a cycle."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from app_pages import common
from db.engine import read_session, write_session
from training.administration.assignments import assign_module, deactivate_assignment, list_assignments, next_odd_year
from training.administration.departments import list_departments
from training.administration.officers import search_officers
from training.errors import TrainingError
from training.localtime import local_today

who = common.require("admin")
cat = common.catalog()
st.title("Assignments")
st.caption("Vermont requires fair and impartial policing training in odd-numbered years, so the cycle is usually "
           "that year (e.g. 2027). A cycle is a year from 2000 to 2099 or a short label such as 2027-refresher. "
           "A module is overdue for an officer once an active assignment's due date has passed and they have "
           "not passed the module.")

with read_session(common.engine()) as s:
    departments = list_departments(session=s, actor=who, active_only=True)
names = {d.id: d.name for d in departments}
modules = {m.id: m.title for m in cat.modules_in_order()}
today = local_today()

flash = st.session_state.pop("assign.flash", None)
if flash:
    st.success(flash)

st.subheader("Assign a module")
c1, c2 = st.columns(2)
module_id = c1.selectbox("Module", list(modules), format_func=modules.__getitem__, key="assign.module")
target = c2.radio("Assign to", ["A whole department", "Chosen officers"], horizontal=True, key="assign.target")
dept = st.selectbox("Department", list(names), format_func=lambda i: names[i], key="assign.dept",
                    help="For chosen officers: the department to pick them from.")
officer_ids: list[int] = []
if target == "Chosen officers" and dept is not None:
    with read_session(common.engine()) as s:
        roster = search_officers(session=s, actor=who, department_id=dept, include_inactive=False, limit=5000)
    labels = {o.id: f"{o.name} ({o.badge_number})" for o in roster}
    officer_ids = st.multiselect("Officers", list(labels), format_func=labels.__getitem__, key="assign.officers")
c3, c4 = st.columns(2)
due = c3.date_input("Due date", value=today + timedelta(days=90), key="assign.due",
                    help="A date in the past is refused, not changed.")
cycle = c4.text_input("Training cycle", value=next_odd_year(today), key="assign.cycle", max_chars=20)
if st.button("Assign", type="primary", key="assign.submit"):
    try:
        with write_session(common.engine()) as s:
            made = assign_module(session=s, actor=who, catalog=cat, module_id=module_id, due_date=due, cycle=cycle,
                                 department_id=dept if target == "A whole department" else None,
                                 officer_ids=tuple(officer_ids) if target == "Chosen officers" else ())
        st.session_state["assign.flash"] = f"Assigned: {len(made)} assignment(s) created."
        st.rerun()
    except TrainingError as exc:
        st.error(str(exc))

st.subheader("Assignments")
show_all = st.checkbox("Include deactivated assignments", key="assign.all")
with read_session(common.engine()) as s:
    views = list_assignments(session=s, actor=who, include_inactive=show_all)
if not views:
    st.info("No assignments yet.")
    st.stop()
st.dataframe(pd.DataFrame([{
    "Module": modules.get(v.module_id, v.module_id), "Assigned to": v.target, "Due": v.due_date,
    "Cycle": v.cycle, "Active": v.active, "Past due date": v.active and v.due_date < today,
} for v in views]), hide_index=True, width="stretch")
active = {v.id: v for v in views if v.active}
if active:
    with st.form("assign.deactivate"):
        pick = st.selectbox("Assignment", list(active), key="assign.deactivate.pick", format_func=lambda i: (
            f"{modules.get(active[i].module_id, active[i].module_id)} → {active[i].target}, "
            f"due {active[i].due_date:%Y-%m-%d}, cycle {active[i].cycle}"))
        if st.form_submit_button("Deactivate assignment", help="It stays on record but no longer sets a due date."):
            try:
                with write_session(common.engine()) as s:
                    deactivate_assignment(session=s, actor=who, assignment_id=pick)
                st.session_state["assign.flash"] = "Assignment deactivated."
                st.rerun()
            except TrainingError as exc:
                st.error(str(exc))
