"""Evidence: who was trained on a module before a date (with the evidence one click away), and packs."""

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.supervisor.picker import department_choice
from db.engine import read_session, write_session
from training.audit import record_event
from training.errors import TrainingError
from training.evidence.asof import trained_as_of
from training.evidence.packs import build_pack
from training.evidence.public import check_certificate
from training.localtime import format_local
from training.oversight import attempt_answers

who = common.require("supervisor", "admin")
cat = common.catalog()
st.title("Evidence")
dept_id = department_choice(who, "evidence.department", allow_statewide=True)
today = datetime.now(timezone.utc).date()

st.subheader("Was this officer trained on this before that date?")
modules = {m.id: m.title for m in cat.modules_in_order()}
if not modules:
    st.info("No modules are loaded.")
    st.stop()
left, middle, right = st.columns([3, 2, 3])
module_id = left.selectbox("Module", list(modules), format_func=modules.__getitem__, key="evidence.module")
when = middle.date_input("Passed before (the start of this day)", value=today, key="evidence.date")
version = right.text_input("Module version hash (optional)", max_chars=64, key="evidence.version")
try:
    with read_session(common.engine()) as s:
        answer = trained_as_of(session=s, actor=who, catalog=cat, module_id=module_id, as_of=when,
                               version_hash=version, department_id=dept_id)
except TrainingError as exc:
    st.error(str(exc))
    st.stop()
st.text(f"{len(answer.trained)} officer(s) in {answer.scope} had passed {answer.module_title} before "
        f"{format_local(answer.cutoff)}" + (f" (version {answer.version_hash})" if answer.version_hash else ""))
if answer.trained:
    st.dataframe(pd.DataFrame([{
        "Officer": t.name, "Badge": t.badge_number, "Department": t.department, "Passed": format_local(t.completed_at),
        "Score %": t.score, "Cycle": t.cycle, "Version": t.module_version_hash[:12],
        "Certificate": t.verification_code} for t in answer.trained]), hide_index=True, width="stretch",
        key="evidence.trained")
if answer.scope != "statewide":
    with st.expander(f"Not trained by then ({len(answer.not_trained)})"):
        st.dataframe(pd.DataFrame([{"Officer": n, "Badge": b} for _, n, b in answer.not_trained]), hide_index=True,
                     width="stretch", key="evidence.not_trained")
for v, points in answer.taught.items():
    with st.expander(f"What version {v[:12]} taught"):
        if points is None:
            st.text("The content of this version was not recorded.")
        for p in points or ():
            st.text(f"{p.id}: {p.title}\n{p.statement}")

by_id = {t.completion_id: t for t in answer.trained}
pick = st.selectbox("Show the evidence for", list(by_id), index=None, key="evidence.pick",
                    format_func=lambda i: f"{by_id[i].name} ({by_id[i].badge_number}), certificate "
                                          f"{by_id[i].verification_code}", placeholder="Choose an officer")
if pick is not None:
    t = by_id[pick]
    with read_session(common.engine()) as s:
        check = check_certificate(session=s, code=t.verification_code, module_titles=modules)
        answers = attempt_answers(session=s, actor=who, officer_id=t.officer_id, attempt_id=t.attempt_id)
    (st.success if check.valid else st.error)(
        f"Certificate {t.verification_code}: {'valid (seal and chain verify)' if check.valid else 'NOT VALID'}")
    st.text(f"Completion {t.completion_id}, attempt {t.attempt_id}, module version {t.module_version_hash}")
    for ans in answers:
        st.text(f"Question {ans.position} ({ans.question_id}, version {ans.question_hash[:12]}): "
                f"{'correct' if ans.correct else f'credit {ans.credit:.2f}'}\n{ans.stem}")
        st.dataframe(pd.DataFrame([{"Shown": i, "Option": text, "Chosen": oid in ans.chosen, "Correct": right}
                                   for i, (oid, text, right) in enumerate(ans.options_shown, start=1)]),
                     hide_index=True, width="stretch", key=f"evidence.answer.{ans.position}")

st.subheader("Evidence pack")
st.caption("A ZIP with each officer's attempts as shown, completions and certificates, the department report and "
           "a manifest signed with the evidence key. Check it anywhere with `python -m training verify-pack`.")
if dept_id is None:
    st.info("Choose one department for a pack.")
    st.stop()
cycle = st.text_input("Training cycle", value=str(today.year), max_chars=20, key="evidence.cycle")
if st.button("Build the evidence pack", key="evidence.build"):
    try:
        with read_session(common.engine()) as s:
            data = build_pack(session=s, actor=who, catalog=cat, department_id=dept_id, cycle=cycle)
        with write_session(common.engine()) as s:
            record_event(session=s, action="evidence.pack", actor_id=who.officer_id, target_type="department",
                         target_id=dept_id, department_id=dept_id, cycle=cycle, bytes=len(data))
    except TrainingError as exc:
        st.error(str(exc))
        st.stop()
    st.session_state["evidence.pack"] = (dept_id, cycle, data)
built = st.session_state.get("evidence.pack")
if built and built[0] == dept_id and built[1] == cycle:
    st.download_button("Download the evidence pack (ZIP)", data=built[2], mime="application/zip",
                       file_name=f"fipp-evidence-{dept_id}-{cycle}.zip", key="evidence.download")
