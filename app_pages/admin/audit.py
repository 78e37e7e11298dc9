"""Administrators: the audit log, newest first, filtered by who, what, when and department, paged."""

from datetime import timedelta

import pandas as pd
import streamlit as st
from sqlmodel import select

from app_pages import common
from db.engine import read_session
from db.models import Department, utcnow
from db.queries.audit import PAGE_SIZE, AuditFilter, audit_actions, audit_page

who = common.require("admin")
st.title("Audit log")
st.caption("Every change and sign-in, recorded in the same transaction as the change. Rows cannot be altered or "
           "deleted: database triggers refuse it. Times are UTC.")

with read_session(common.engine()) as s:
    actions = audit_actions(session=s)
    departments = list(s.exec(select(Department).order_by(Department.name)))
names = {d.id: d.name for d in departments}
today = utcnow().date()
prefixes = sorted({a.split(".")[0] + "." for a in actions if "." in a})

with st.form("audit.filters"):
    c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
    actor = c1.text_input("Who (email or badge number)", key="audit.actor")
    action = c2.selectbox("What", ["", *prefixes, *actions], key="audit.action",
                          format_func=lambda a: "any action" if not a else f"{a}*" if a.endswith(".") else a)
    when = c3.date_input("When (from, to)", value=(today - timedelta(days=30), today), key="audit.when")
    dept = c4.selectbox("Department", [None, *names], key="audit.dept",
                        format_func=lambda i: "any department" if i is None else names[i])
    if st.form_submit_button("Apply filters"):
        st.session_state["audit.cursors"] = [None]  # back to the newest page

since, until = (tuple(when) + (None, None))[:2] if isinstance(when, tuple | list) else (when, when)
where = AuditFilter(actor=actor, action=action, since=since, until=until, department_id=dept)
cursors: list[int | None] = st.session_state.setdefault("audit.cursors", [None])
with read_session(common.engine()) as s:
    page = audit_page(session=s, where=where, before_id=cursors[-1])

if not page.rows:
    st.info("No events match these filters.")
else:
    st.dataframe(pd.DataFrame([{
        "When (UTC)": r.at, "Who": r.actor, "What": r.action, "Target": f"{r.target_type or ''} {r.target_id or ''}",
        "Department": r.department, "Detail": r.detail} for r in page.rows]),
        hide_index=True, width="stretch", height=min(38 + 35 * len(page.rows), 700))
left, mid, right = st.columns([1, 2, 1])
if left.button("Newer", disabled=len(cursors) == 1, key="audit.newer"):
    cursors.pop()
    st.rerun()
mid.caption(f"Page {len(cursors)} · {PAGE_SIZE} events per page")
if right.button("Older", disabled=page.next_before_id is None, key="audit.older"):
    cursors.append(page.next_before_id)
    st.rerun()
