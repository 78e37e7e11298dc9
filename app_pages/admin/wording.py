"""Administrators: a department's adopted wording for each policy point, with its history."""

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.supervisor.picker import department_choice
from db.engine import read_session, write_session
from training.administration.wording import WORDING_MAX, set_adopted_wording, wording_history, wording_in_force
from training.content import source_label
from training.errors import TrainingError
from training.localtime import format_local

who = common.require("admin")
cat = common.catalog()
st.title("Adopted wording")
st.caption("Each agency adopts the model policy in its own words. Enter your department's adopted text for a "
           "policy point; officers of that department see it beside the model summary in the lessons. Entering "
           "or changing it asks the department's officers who already passed an affected module to re-certify.")
flash = st.session_state.pop("wording.flash", None)
if flash:
    st.success(flash)
dept_id = department_choice(who, "wording.department")
assert dept_id is not None
points = {p.id: p for p in cat.policy_points.values() if p.source != "context"}
pid = st.selectbox("Policy point", list(points), key="wording.point",
                   format_func=lambda i: f"{points[i].title} ({i})")
point = points[pid]
st.markdown("**Model summary**")
st.text(point.statement)
st.caption(f"Source: {source_label(point)}")
with read_session(common.engine()) as s:
    current = wording_in_force(session=s, department_id=dept_id).get(pid)
    history = wording_history(session=s, actor=who, department_id=dept_id, policy_point_id=pid)
with st.form("wording.form"):
    text = st.text_area("Your department's adopted wording (plain text; empty: use the model wording)",
                        value=current.text if current else "", max_chars=WORDING_MAX, key=f"wording.text.{dept_id}.{pid}")
    if st.form_submit_button("Save adopted wording", type="primary"):
        try:
            with write_session(common.engine()) as s:
                set_adopted_wording(session=s, actor=who, catalog=cat, department_id=dept_id, policy_point_id=pid,
                                    text=text)
            st.session_state["wording.flash"] = "Adopted wording saved."
            st.rerun()
        except TrainingError as exc:
            st.error(str(exc))
st.subheader("History")
if history:
    st.dataframe(pd.DataFrame([{"Entered": format_local(h.entered_at), "By": h.entered_by, "Wording": h.text or "(model wording)"}
                               for h in history]), hide_index=True, width="stretch", key="wording.history")
else:
    st.info("No adopted wording has been entered for this point.")
