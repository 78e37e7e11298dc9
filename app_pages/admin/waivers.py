"""Waivers: excuse an officer from a module or a whole cycle (supervisors: their own department)."""


import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.supervisor.picker import department_choice
from db.engine import read_session, write_session
from training.administration.assignments import next_odd_year
from training.administration.cycles import current_cycle_label
from training.administration.waivers import NOTE_MAX, REASONS, grant_waiver, list_waivers, revoke_waiver
from training.errors import TrainingError
from training.localtime import local_today
from training.oversight import department_roster

who = common.require("supervisor", "admin")
cat = common.catalog()
st.title("Waivers")
st.caption("A waiver excuses an officer from one module, or from a whole cycle, for a period. Waived work is "
           "counted apart: never as passed and never as overdue. Waivers are never edited; revoking one is "
           "recorded as a new entry. You are recorded as the approver.")
flash = st.session_state.pop("waivers.flash", None)
if flash:
    st.success(flash)
dept_id = department_choice(who, "waivers.department")
today = local_today()
try:
    with read_session(common.engine()) as s:
        roster = {o.officer_id: f"{o.name} ({o.badge_number})"
                  for o in department_roster(session=s, actor=who, department_id=dept_id)
                  if o.officer_id != who.officer_id}  # your own waiver needs someone else's approval
        cycle_now = current_cycle_label(s) or next_odd_year(today)
        views = list_waivers(session=s, actor=who, department_id=dept_id)
except TrainingError as exc:
    st.error(str(exc))
    st.stop()
modules = {"": "The whole cycle", **{m.id: m.title for m in cat.modules_in_order()}}

st.subheader("Record a waiver")
if not roster:
    st.info("This department has no active officers.")
else:
    with st.form("waivers.grant"):
        officer = st.selectbox("Officer", list(roster), format_func=roster.__getitem__, key="waivers.officer")
        module = st.selectbox("Waive", list(modules), format_func=modules.__getitem__, key="waivers.module")
        c1, c2 = st.columns(2)
        cycle = c1.text_input("Cycle", value=cycle_now, max_chars=20, key="waivers.cycle")
        reason = c2.selectbox("Reason", REASONS, format_func=str.capitalize, key="waivers.reason")
        note = st.text_area("Note", max_chars=NOTE_MAX, key="waivers.note")
        c3, c4 = st.columns(2)
        starts = c3.date_input("From", value=today, key="waivers.starts")
        ends = c4.date_input("Until (leave empty for no end)", value=None, key="waivers.ends")
        if st.form_submit_button("Record waiver", type="primary"):
            try:
                with write_session(common.engine()) as s:
                    grant_waiver(session=s, actor=who, catalog=cat, officer_id=officer, module_id=module or None,
                                 cycle=cycle, reason=reason, note=note, starts_on=starts, ends_on=ends)
                st.session_state["waivers.flash"] = "Waiver recorded."
                st.rerun()
            except TrainingError as exc:
                st.error(str(exc))

st.subheader("Waivers on record")
if not views:
    st.info("No waivers recorded.")
    st.stop()
st.dataframe(pd.DataFrame([{
    "Officer": f"{v.officer_name} ({v.badge_number})", "Waived": modules.get(v.module_id or "", v.module_id),
    "Cycle": v.cycle, "Reason": v.reason, "Note": v.note, "From": v.starts_on, "Until": v.ends_on,
    "Approved by": v.approved_by, "Revoked": v.revoked} for v in views]), hide_index=True, width="stretch",
    key="waivers.table")
live = {v.id: v for v in views if not v.revoked}
if live:
    with st.form("waivers.revoke"):
        pick = st.selectbox("Waiver", list(live), key="waivers.revoke.pick", format_func=lambda i: (
            f"{live[i].officer_name}: {modules.get(live[i].module_id or '', live[i].module_id)}, cycle {live[i].cycle}"))
        why = st.text_input("Why it is revoked", max_chars=NOTE_MAX, key="waivers.revoke.note")
        if st.form_submit_button("Revoke waiver"):
            try:
                with write_session(common.engine()) as s:
                    revoke_waiver(session=s, actor=who, waiver_id=pick, note=why)
                st.session_state["waivers.flash"] = "Waiver revoked."
                st.rerun()
            except TrainingError as exc:
                st.error(str(exc))
