"""Parts of the Departments and officers page: find an officer and change them; edit a department.

Not a page itself (the registry does not list it). Labels differ from the add forms' ("Full name", "Email", ...),
and no select box here has "Department" in its label, so each label finds one widget.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.admin.links_view import issue_first_links
from app_pages.admin.second_factor_admin import second_factor_panel
from db.engine import Session, read_session, write_session
from db.models import ROLES
from training.administration.departments import DepartmentRow, set_department_active, update_department
from training.administration.officers import (
    SEARCH_LIMIT,
    OfficerRow,
    change_department,
    change_role,
    search_officers,
    set_officer_active,
    unlock_officer,
    update_officer,
)
from training.errors import TrainingError
from training.identity.officers import set_password
from training.identity.principal import Principal
from training.localtime import format_local

FLASH = "people.flash"


def act(label: str, change: Callable[[Session], object]) -> None:
    """Run one change in its own transaction; on success flash label and rerun, else show why."""
    try:
        with write_session(common.engine()) as s:
            change(s)
    except TrainingError as exc:
        st.error(str(exc))
        return
    st.session_state[FLASH] = label
    st.rerun()


def officers_section(who: Principal, departments: list[DepartmentRow]) -> None:
    names: dict[int | None, str] = {d.id: d.name for d in departments}
    c1, c2, c3 = st.columns([2, 2, 1])
    text = c1.text_input("Find by name, email or badge", key="people.find.text")
    dept = c2.selectbox("Show officers in", [None, *names], format_func=lambda i: "all departments" if i is None
                        else names[i], key="people.find.dept")
    inactive = c3.checkbox("Include deactivated", value=True, key="people.find.inactive")
    with read_session(common.engine()) as s:
        rows = search_officers(session=s, actor=who, text=text, department_id=dept, include_inactive=inactive)
    if not rows:
        st.info("No officers match.")
        return
    st.dataframe(pd.DataFrame([{
        "Name": o.name, "Badge": o.badge_number, "Email": o.email, "Department": names.get(o.department_id, ""),
        "Role": common.role_word(o.role), "Active": o.active, "Password set": o.has_password, "Locked until": format_local(o.locked_until),
    } for o in rows]), hide_index=True, width="stretch")
    if len(rows) == SEARCH_LIMIT:
        st.caption(f"Showing the first {SEARCH_LIMIT}; narrow the search to find others.")
    by_id = {o.id: o for o in rows}
    chosen = st.selectbox("Officer to edit", list(by_id), key="people.edit.officer",
                          format_func=lambda i: f"{by_id[i].name} ({by_id[i].badge_number})")
    if chosen is not None:
        _officer_panel(who, by_id[chosen], departments)


def _officer_panel(who: Principal, o: OfficerRow, departments: list[DepartmentRow]) -> None:
    st.caption(f"{'Active' if o.active else 'Deactivated'} · {common.role_word(o.role)} · "
               f"{'password set' if o.has_password else 'no password yet: cannot sign in'}"
               + (f" · locked until {format_local(o.locked_until)}" if o.locked_until else ""))
    left, right = st.columns(2)
    with left.form(f"people.details.{o.id}"):
        name = st.text_input("Name", o.name, key=f"people.details.name.{o.id}")
        email = st.text_input("Email address", o.email, key=f"people.details.email.{o.id}")
        badge = st.text_input("Badge number", o.badge_number, key=f"people.details.badge.{o.id}")
        if st.form_submit_button("Save details"):
            act("Details saved.", lambda s: update_officer(session=s, actor=who, officer_id=o.id, name=name,
                                                                 email=email, badge_number=badge))
    with right.form(f"people.role.{o.id}"):
        active_depts = {d.id: d.name for d in departments if d.active or d.id == o.department_id}
        role = st.selectbox("Role", ROLES, index=ROLES.index(o.role), format_func=common.role_word,
                            key=f"people.role.role.{o.id}")
        options = [None, *active_depts]
        dept = st.selectbox("Move to", options, index=options.index(o.department_id), key=f"people.role.dept.{o.id}",
                            format_func=lambda i: "(none: state office)" if i is None else active_depts[i])
        if st.form_submit_button("Save role and department"):
            def change(s: Session) -> None:
                # Move first, so a state-office admin can become a trainee of the agency chosen.
                change_department(session=s, actor=who, officer_id=o.id, department_id=dept)
                change_role(session=s, actor=who, officer_id=o.id, role=role)
            act("Role and department saved; the officer signs in again to use them.", change)
    b1, b2, _ = st.columns([1, 1, 2])
    if b1.button("Reactivate" if not o.active else "Deactivate", key=f"people.active.{o.id}",
                 help="Deactivation keeps every record and ends the officer's sessions now."):
        act("Reactivated." if not o.active else "Deactivated; their sessions have ended.",
            lambda s: set_officer_active(session=s, actor=who, officer_id=o.id, active=not o.active))
    if b2.button("Unlock", key=f"people.unlock.{o.id}", disabled=o.locked_until is None):
        act("Unlocked.", lambda s: unlock_officer(session=s, actor=who, officer_id=o.id))
    with st.form(f"people.reset.{o.id}"):
        st.markdown("**Set or reset the password** (also unlocks the account and ends its sessions)")
        pw = st.text_input("New password", type="password", key=f"people.reset.password.{o.id}")
        if st.form_submit_button("Set password"):
            act("Password set.", lambda s: set_password(session=s, actor=who, officer_id=o.id, password=pw,
                                                         settings=common.settings()))
    if st.button("Make a one-time link to set the password", key=f"people.link.{o.id}",
                 help="For an officer who never set one, or forgot it: works once, for 24 hours."):
        issue_first_links(common.engine(), who.officer_id, [(o.id, o.name, o.email)])
        st.rerun()
    second_factor_panel(who, o.id)


def departments_section(who: Principal, departments: list[DepartmentRow]) -> None:
    if not departments:
        st.info("No departments yet.")
        return
    st.dataframe(pd.DataFrame([{"Name": d.name, "Code": d.code, "Active": d.active} for d in departments]),
                 hide_index=True, width="stretch")
    by_id = {d.id: d for d in departments}
    chosen = st.selectbox("Choose one to edit", list(by_id), key="people.dept.edit",
                          format_func=lambda i: f"{by_id[i].name} ({by_id[i].code})")
    d = by_id[chosen]
    with st.form(f"people.dept.form.{d.id}"):
        name = st.text_input("Name of the department", d.name, key=f"people.dept.name.{d.id}")
        code = st.text_input("Code of the department", d.code, key=f"people.dept.code.{d.id}")
        if st.form_submit_button("Save department"):
            act("Department saved.", lambda s: update_department(session=s, actor=who, department_id=d.id or 0,
                                                                   name=name, code=code))
    if st.button("Reactivate department" if not d.active else "Deactivate department", key=f"people.dept.active.{d.id}",
                 help="A department with active officers cannot be deactivated; nothing is deleted."):
        act("Department reactivated." if not d.active else "Department deactivated.",
            lambda s: set_department_active(session=s, actor=who, department_id=d.id or 0, active=not d.active))
