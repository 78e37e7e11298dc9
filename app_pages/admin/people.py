"""Administrators: add, edit, move, deactivate and unlock departments and officers; set passwords.

Every change goes through training/administration/ (officers.py, departments.py) and is audited there.
"""

import streamlit as st

from app_pages import common
from app_pages.admin import people_edit
from app_pages.admin.links_view import issue_first_links, show_pending_links
from db.engine import read_session, write_session
from db.models import ROLES
from training.administration.departments import create_department, list_departments
from training.administration.officers import create_officer
from training.errors import TrainingError

who = common.require("admin")
cfg = common.settings()
CLEAR = "people.clear_forms"
DEPT_KEYS = ("people.dept.name", "people.dept.code")
OFFICER_KEYS = ("people.officer.name", "people.officer.badge", "people.officer.email", "people.officer.dept",
                "people.officer.role", "people.officer.password")
st.title("Departments and officers")

with read_session(common.engine()) as s:
    departments = list_departments(session=s, actor=who)
dept_names = {d.id: d.name for d in departments if d.active}
# The forms keep what was typed when a save fails; only after a save are they emptied, here,
# before their widgets exist in this run (Streamlit refuses changes to a drawn widget's value).
for form_keys in st.session_state.pop(CLEAR, []):
    for k in form_keys:
        st.session_state.pop(k, None)

left, right = st.columns([1, 2])
with left:
    st.subheader("Add a department")
    with st.form("people.dept"):
        name = st.text_input("Department name", key="people.dept.name")
        code = st.text_input("Short code (e.g. BPD)", key="people.dept.code")
        if st.form_submit_button("Add department"):
            try:
                with write_session(common.engine()) as s:
                    create_department(session=s, actor=who, name=name, code=code)
                st.session_state[people_edit.FLASH] = f"Department added: {name}"
                st.session_state[CLEAR] = [DEPT_KEYS]
                st.rerun()
            except TrainingError as exc:
                st.error(str(exc))

with right:
    st.subheader("Add an officer")
    with st.form("people.officer"):
        o_name = st.text_input("Full name", key="people.officer.name")
        o_badge = st.text_input("Badge or employee number", key="people.officer.badge")
        o_email = st.text_input("Email", key="people.officer.email")
        o_dept = st.selectbox("Department", [None, *dept_names], format_func=lambda i: "(none: state office)"
                              if i is None else dept_names[i], key="people.officer.dept")
        o_role = st.selectbox("Role", ROLES, format_func=common.role_word, key="people.officer.role")
        o_pw = st.text_input(f"Initial password (at least {cfg.password_min_length} characters)", type="password",
                             key="people.officer.password", max_chars=256,
                             help="Leave empty to get a one-time link the officer uses to set their own.")
        if st.form_submit_button("Add officer"):
            try:
                with write_session(common.engine()) as s:
                    added = create_officer(session=s, actor=who, name=o_name, email=o_email, badge_number=o_badge,
                                           department_id=o_dept, role=o_role, settings=cfg, password=o_pw or None)
                    new = (added.id or 0, added.name, added.email)
                if not o_pw:
                    issue_first_links(common.engine(), who.officer_id, [new])
                st.session_state[people_edit.FLASH] = f"Officer added: {o_name}"
                st.session_state[CLEAR] = [OFFICER_KEYS]
                st.rerun()
            except TrainingError as exc:
                st.error(str(exc))

flash = st.session_state.pop(people_edit.FLASH, None)
if flash:
    st.success(common.plain(flash))  # names are user data: never Markdown (finding 9)
show_pending_links()

officers_tab, departments_tab = st.tabs(["Find and change officers", "Departments"])
with officers_tab:
    people_edit.officers_section(who, departments)
with departments_tab:
    people_edit.departments_section(who, departments)
