"""Administrators: open a new training cycle; it reopens every assigned module for a new pass."""

from datetime import date

import pandas as pd
import streamlit as st

from app_pages import common
from db.engine import read_session, write_session
from training.administration.assignments import next_odd_year
from training.administration.cycles import list_cycles, open_cycle
from training.errors import TrainingError
from training.localtime import format_local, local_today

who = common.require("admin")
st.title("Training cycles")
st.caption("Vermont officers train on fair and impartial policing in every odd-numbered year "
           "(20 V.S.A. § 2358(e)(3)). Opening a cycle makes it current: every active assignment of the last "
           "cycle is carried into it with the new due date, attempts start afresh, and \"passed\" means passed "
           "in this cycle. Earlier cycles' records stay and stay visible.")
today = local_today()
flash = st.session_state.pop("cycles.flash", None)
if flash:
    st.success(flash)

with read_session(common.engine()) as s:
    cycles = list_cycles(s)
if cycles:
    st.markdown(f"**Current cycle: {common.plain(cycles[0].label)}**, due {cycles[0].due_date:%B %d, %Y}")
    st.dataframe(pd.DataFrame([{"Cycle": c.label, "Due": c.due_date, "Opened": format_local(c.opened_at)} for c in cycles]),
                 hide_index=True, width="stretch", key="cycles.table")
else:
    st.info("No cycle has been opened yet: figures count every completion. Open the first cycle below.")

st.subheader("Open a new cycle")
with st.form("cycles.open"):
    label = st.text_input("Cycle", value=next_odd_year(today if not cycles else date(today.year + 1, 1, 1)),
                          max_chars=20, key="cycles.label",
                          help="A year such as 2027, or a short label such as 2027-refresher.")
    due = st.date_input("Due date", value=date(int(label[:4]) if label[:4].isdigit() else today.year, 12, 31),
                        min_value=today, key="cycles.due")
    if st.form_submit_button("Open cycle", type="primary"):
        try:
            with write_session(common.engine()) as s:
                opened = open_cycle(session=s, actor=who, label=label, due_date=due)
            st.session_state["cycles.flash"] = (f"Cycle {opened.cycle.label} is open; "
                                                f"{opened.carried_assignments} assignment(s) carried into it.")
            st.rerun()
        except TrainingError as exc:
            st.error(str(exc))
