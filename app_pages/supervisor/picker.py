"""The department a supervisory page shows: a picker for administrators, fixed for supervisors.

The services check the choice again (training/oversight.py); this only decides what to offer.
"""

from __future__ import annotations

import streamlit as st

from app_pages import common
from db.engine import read_session
from training.administration.cycles import list_cycles
from training.administration.departments import list_departments
from training.identity.principal import Principal

STATEWIDE = 0


def department_choice(who: Principal, key: str, *, allow_statewide: bool = False) -> int | None:
    """The chosen department id (None for statewide), or stop the page if there is nothing to show."""
    if not who.is_admin:
        if who.department_id is None:
            st.info("You are not assigned to a department.")
            st.stop()
        return who.department_id
    with read_session(common.engine()) as s:
        names = {d.id: f"{d.name} ({d.code})" for d in list_departments(session=s, actor=who)}
    options = list(names) + ([STATEWIDE] if names and allow_statewide else [])  # statewide last: the slowest
    if not options:
        st.info("No departments yet. Create one under Departments and officers.")
        st.stop()
    picked = st.selectbox("Department", options, key=key,
                          format_func=lambda i: "All departments (statewide)" if i == STATEWIDE else names[i])
    return None if picked == STATEWIDE else int(picked)


def cycle_choice(key: str) -> str | None:
    """The training cycle to show (newest first: the current one), or None before any cycle was opened."""
    with read_session(common.engine()) as s:
        labels = [c.label for c in list_cycles(s)]
    if not labels:
        return None
    return str(st.selectbox("Training cycle", labels, key=key,
                            help="Figures count this cycle's assignments, attempts and completions."))
