"""Administrators: the audit log in words, newest first, filtered by who, what, when and department, paged."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from app_pages import common
from db.engine import read_session
from training.audit_log import PAGE_SIZE, AuditFilter, audit_log_choices, read_audit_log
from training.errors import TrainingError
from training.localtime import agency_zone, local_today

who = common.require("admin")
st.title("Audit log")
st.caption("Every change and sign-in, recorded in the same transaction as the change. Rows cannot be altered or "
           f"deleted: database triggers refuse it. Times are in {agency_zone().key}. Open an event's row in "
           "\"Raw record\" below the table to see it exactly as stored.")

try:
    with read_session(common.engine()) as s:
        actions, names = audit_log_choices(session=s, actor=who)
except TrainingError as exc:
    st.error(str(exc))
    st.stop()
today = local_today()
prefixes = sorted({a.split(".")[0] + "." for a in actions if "." in a})

with st.form("audit.filters"):
    c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
    actor = c1.text_input("Who (email or badge number)", key="audit.actor", max_chars=200)
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
    page = read_audit_log(session=s, actor=who, where=where, before_id=cursors[-1],
                          modules={m.id: m.title for m in common.catalog().modules_in_order()})

if not page.entries:
    st.info("No events match these filters.")
else:
    # st.table wraps long sentences instead of cutting them off; cells are user data, so plain().
    st.table(pd.DataFrame([{"When": common.plain(e.when), "What happened": common.plain(e.sentence),
                            "Department": common.plain(e.department)} for e in page.entries]), hide_index=True)
    with st.expander("Raw records (action code and detail exactly as stored)"):
        st.table(pd.DataFrame([{"Event": e.id, "Action": common.plain(e.action), "Detail": common.plain(e.detail)}
                               for e in page.entries]), hide_index=True)
left, mid, right = st.columns([1, 2, 1])
if left.button("Newer", disabled=len(cursors) == 1, key="audit.newer"):
    cursors.pop()
    st.rerun()
mid.caption(f"Page {len(cursors)} · {PAGE_SIZE} events per page")
if right.button("Older", disabled=page.next_before_id is None, key="audit.older"):
    cursors.append(page.next_before_id)
    st.rerun()
