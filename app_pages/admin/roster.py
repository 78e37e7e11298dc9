"""Roster import: upload a CSV, see every problem row by row, then import all of it or none.

Supervisors import trainees into their own department; administrators import trainees and
supervisors into any active department. The rules live in training/administration/roster.py.
"""

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.admin.links_view import issue_first_links, show_pending_links
from db.engine import read_session, write_session
from training.administration.roster import (
    MAX_ROWS,
    TEMPLATE,
    RosterFileError,
    RosterRejected,
    import_roster,
    preview_roster,
)
from training.errors import TrainingError

who = common.require("supervisor", "admin")
st.title("Roster import")
st.markdown(
    "Upload a CSV file (UTF-8, at most 5 MB and "
    f"{MAX_ROWS:,} officers) with the columns **name, badge_number, email, department_code** and optionally "
    "**role**. Nothing is imported until every row is correct; then all rows are imported at once. "
    "Each imported officer gets a one-time link to set their own password: emailed when the server "
    "can send email, otherwise shown here for you to hand over.")
if who.role == "supervisor":
    st.caption("As a supervisor you import trainees into your own department only.")
else:
    st.caption("Roles: trainee (the default) or supervisor. Administrators are added one at a time.")
st.caption("Cells may not start with = + - @, a tab or a line break (spreadsheet formulas); such rows are "
           "refused, not altered. Header spellings such as 'Full name', 'Badge', 'E-mail' and 'Dept' are accepted.")
st.download_button("Download a template", TEMPLATE.encode("utf-8-sig"), file_name="roster-template.csv",
                   mime="text/csv", key="roster.template")

flash = st.session_state.pop("roster.flash", None)
if flash:
    st.success(flash)
show_pending_links()

upload = st.file_uploader("Roster CSV", type=["csv"], key=f"roster.file.{st.session_state.get('roster.gen', 0)}")
if upload is None:
    st.stop()
data = upload.getvalue()
try:
    with read_session(common.engine()) as s:
        preview = preview_roster(session=s, actor=who, data=data)
except RosterFileError as exc:
    st.error(str(exc))
    st.stop()

c1, c2 = st.columns(2)
c1.metric("Rows ready to import", len(preview.rows))
c2.metric("Rows with problems", len({p.row for p in preview.problems}))
if preview.problems:
    st.error("Fix these rows in your file and upload it again. Nothing has been imported.")
    st.dataframe(pd.DataFrame([{"Row": p.row, "Problem": p.message} for p in preview.problems]),
                 hide_index=True, width="stretch")
if preview.rows:
    st.subheader("Rows that are ready" + (" (first 200)" if len(preview.rows) > 200 else ""))
    st.dataframe(pd.DataFrame([{"Row": r.row, "Name": r.name, "Badge": r.badge_number, "Email": r.email,
                                "Department": r.department_code, "Role": r.role} for r in preview.rows[:200]]),
                 hide_index=True, width="stretch")
if st.button(f"Import {len(preview.rows):,} officers", type="primary", disabled=not preview.ok, key="roster.import"):
    try:
        with write_session(common.engine()) as s:
            result = import_roster(session=s, actor=who, data=data, file_name=upload.name)
    except RosterRejected as exc:
        st.error(f"{exc} The file changed meaning since the preview (someone else added an officer?).")
        st.dataframe(pd.DataFrame([{"Row": p.row, "Problem": p.message} for p in exc.problems]), hide_index=True)
    except TrainingError as exc:
        st.error(str(exc))
    else:
        issue_first_links(common.engine(), who.officer_id, list(result.officers))
        roles = ", ".join(f"{n} {role}(s)" for role, n in sorted(result.by_role.items()))
        st.session_state["roster.flash"] = f"Imported {result.imported:,} officers: {roles}."
        st.session_state["roster.gen"] = st.session_state.get("roster.gen", 0) + 1  # clears the uploader
        st.rerun()
