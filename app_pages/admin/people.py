"""Administrators: add departments and officers, set or reset passwords."""

import pandas as pd
import streamlit as st
from sqlmodel import select

from app_pages import common
from db.engine import read_session, write_session
from db.models import ROLES, Department, Officer
from training.accounts import create_department, create_officer, set_password
from training.errors import TrainingError

who = common.require("admin")
cfg = common.settings()
st.title("Departments and officers")

with read_session(common.engine()) as s:
    departments = list(s.exec(select(Department).order_by(Department.name)))
    officers = list(s.exec(select(Officer).order_by(Officer.name)))
dept_names = {d.id: d.name for d in departments}

left, right = st.columns([1, 2])
with left:
    st.subheader("Add a department")
    with st.form("people.dept", clear_on_submit=True):
        name = st.text_input("Department name", key="people.dept.name")
        code = st.text_input("Short code (e.g. BPD)", key="people.dept.code")
        if st.form_submit_button("Add department"):
            try:
                with write_session(common.engine()) as s:
                    create_department(session=s, actor=who, name=name, code=code)
                st.session_state["people.flash"] = f"Department added: {name}"
                st.rerun()
            except TrainingError as exc:
                st.error(str(exc))

with right:
    st.subheader("Add an officer")
    with st.form("people.officer", clear_on_submit=True):
        o_name = st.text_input("Full name", key="people.officer.name")
        o_badge = st.text_input("Badge or employee number", key="people.officer.badge")
        o_email = st.text_input("Email", key="people.officer.email")
        o_dept = st.selectbox("Department", [None, *dept_names], format_func=lambda i: "(none: state office)"
                              if i is None else dept_names[i], key="people.officer.dept")
        o_role = st.selectbox("Role", ROLES, key="people.officer.role")
        o_pw = st.text_input(f"Initial password (at least {cfg.password_min_length} characters)", type="password",
                             key="people.officer.password")
        if st.form_submit_button("Add officer"):
            try:
                with write_session(common.engine()) as s:
                    create_officer(session=s, actor=who, name=o_name, email=o_email, badge_number=o_badge,
                                   department_id=o_dept, role=o_role, settings=cfg, password=o_pw or None)
                st.session_state["people.flash"] = f"Officer added: {o_name}"
                st.rerun()
            except TrainingError as exc:
                st.error(str(exc))

flash = st.session_state.pop("people.flash", None)
if flash:
    st.success(flash)

st.subheader("Officers")
if officers:
    st.dataframe(pd.DataFrame([{
        "Name": o.name, "Badge": o.badge_number, "Email": o.email, "Department": dept_names.get(o.department_id, ""),
        "Role": o.role, "Active": o.active, "Locked until": o.locked_until,
    } for o in officers]), hide_index=True, width="stretch")
    with st.form("people.reset"):
        st.markdown("**Set or reset a password** (also unlocks the account and ends its sessions)")
        target = st.selectbox("Officer", [o.id for o in officers], key="people.reset.officer",
                              format_func=lambda i: next(f"{o.name} ({o.badge_number})" for o in officers if o.id == i))
        pw = st.text_input("New password", type="password", key="people.reset.password")
        if st.form_submit_button("Set password"):
            try:
                with write_session(common.engine()) as s:
                    set_password(session=s, actor=who, officer_id=target, password=pw, settings=cfg)
                st.success("Password set.")
            except TrainingError as exc:
                st.error(str(exc))
