"""Reports and exports: the department's figures as CSV and as a PDF report for the Council."""

import streamlit as st

from app_pages import common
from app_pages.supervisor.picker import cycle_choice, department_choice
from db.engine import read_session
from training.errors import TrainingError
from training.evidence.checkpoints import make_checkpoint
from training.exports import department_report_pdf, matrix_csv, overdue_csv
from training.oversight import department_dashboard

who = common.require("supervisor", "admin")
st.title("Reports and exports")
dept_id = department_choice(who, "reports.department")
cycle = cycle_choice("reports.cycle")
try:
    with read_session(common.engine()) as s:
        board = department_dashboard(session=s, actor=who, catalog=common.catalog(), department_id=dept_id,
                                     cycle=cycle)
        checkpoint = make_checkpoint(session=s, label=f"department report {board.department.code}")
except TrainingError as exc:
    st.error(str(exc))
    st.stop()

code = board.department.code.lower()
stamp = f"{board.today:%Y-%m-%d}"
st.subheader(common.plain(board.department.name))
st.text(f"{board.rates[0].officers if board.rates else 0} active officers, overall completion "
        f"{board.overall_rate:.0%} of assigned modules, {len(board.overdue)} overdue assignments (as of {stamp}"
        + (f", cycle {board.cycle}" if board.cycle else "") + ").")
st.caption("CSV files open in Excel with accents intact; cells that a spreadsheet would run as a formula are "
           "prefixed with a single quote.")
left, middle, right = st.columns(3)
# data=callable: the PDF (officers x modules, many pages for a large department) is built only
# when someone clicks, not on every run of this page.
left.download_button("Department report (PDF)", data=lambda: department_report_pdf(
    board, cycle_label=board.cycle or "all cycles", footer_lines=[*checkpoint.lines(), checkpoint.token]),
                     mime="application/pdf",
                     file_name=f"fipp-report-{code}-{stamp}.pdf", key="reports.pdf")
middle.download_button("Completion matrix (CSV)", data=matrix_csv(board), mime="text/csv",
                       file_name=f"fipp-matrix-{code}-{stamp}.csv", key="reports.matrix")
right.download_button("Overdue list (CSV)", data=overdue_csv(board), mime="text/csv",
                      file_name=f"fipp-overdue-{code}-{stamp}.csv", key="reports.overdue")
with st.expander("Evidence checkpoint (printed on the report: keep it)"):
    st.caption("Anyone who keeps this can later run `python -m training verify-checkpoint TOKEN` to see whether "
               "records were deleted or rewritten since.")
    st.code("\n".join([*checkpoint.lines(), checkpoint.token]), language=None)
