"""Item analysis: which questions and policy points officers get wrong on their first attempt."""

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.supervisor.picker import department_choice
from db.engine import read_session
from training import item_analysis as rules
from training.errors import TrainingError
from training.item_analysis import ItemStats
from training.oversight import item_analysis

who = common.require("supervisor", "admin")
st.title("Item analysis")
st.caption(f"First attempts only. Facility: share of responses fully correct. Discrimination: share correct in "
           f"the top 27% of scorers minus the bottom 27%. A question is flagged with at least "
           f"{rules.MIN_RESPONSES} responses when facility is below {rules.HARD_BELOW:.2f} or above "
           f"{rules.EASY_ABOVE:.2f}, or discrimination is below {rules.DISCRIMINATION_BELOW:.2f}.")
dept_id = department_choice(who, "items.department", allow_statewide=True)
cat = common.catalog()
try:
    with read_session(common.engine()) as s:
        result = item_analysis(session=s, actor=who, catalog=cat, department_id=dept_id)
except TrainingError as exc:
    st.error(str(exc))
    st.stop()
if not result.questions:
    st.info("No first attempts have been submitted yet.")
    st.stop()


def table(stats: Sequence[ItemStats], name_of: Callable[[str], str], label: str) -> pd.DataFrame:
    return pd.DataFrame([{label: name_of(x.key), "Id": x.key, "Responses": x.responses, "Facility": x.facility,
                          "Discrimination": x.discrimination, "Review": ", ".join(x.flags)} for x in stats])


def stem(qid: str) -> str:
    q = cat.questions.get(qid)
    return q.stem if q else "(no longer in the bank)"


def point(pid: str) -> str:
    p = cat.policy_points.get(pid)
    return p.title if p else pid


number = {"Facility": st.column_config.NumberColumn(format="%.2f"),
          "Discrimination": st.column_config.NumberColumn(format="%.2f")}
flagged = [q for q in result.questions if q.flags]
st.markdown(f"#### Questions flagged for review ({len(flagged)})")
if flagged:
    st.dataframe(table(flagged, stem, "Question"), hide_index=True, width="stretch", column_config=number,
                 key="items.flagged")
else:
    st.success("No question is flagged.")

st.markdown("#### By policy point")
st.caption("Low facility on a policy point means that protection is misunderstood: revisit it in briefings.")
points = sorted(result.policy_points, key=lambda p: (p.facility if p.facility is not None else 2.0))
st.dataframe(table(points, point, "Policy point"), hide_index=True, width="stretch", column_config=number,
             key="items.points")

st.markdown("#### Every question")
st.dataframe(table(result.questions, stem, "Question"), hide_index=True, width="stretch", column_config=number,
             key="items.questions")
with st.expander("By question version (the exact wording shown)"):
    versions = table(result.versions, stem, "Question")
    versions.insert(2, "Version", [(v.question_hash or "")[:12] for v in result.versions])
    st.dataframe(versions, hide_index=True, width="stretch", column_config=number, key="items.versions")
