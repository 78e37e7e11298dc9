"""Administrators: content problems, and the coverage matrix of policy points by module."""

import pandas as pd
import streamlit as st

from app_pages import common
from training.content.coverage import MIN_QUESTIONS_PER_POINT, TESTED_TIERS, coverage_gaps, coverage_matrix

who = common.require("admin")
cat = common.catalog()
st.title("Content and coverage")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Modules", len(cat.modules))
c2.metric("Questions", len(cat.questions))
c3.metric("Policy points", len(cat.policy_points))
c4.metric("Problems", len(cat.problems))

if cat.problems:
    st.error(f"{len(cat.problems)} problem(s) in the content files. Quizzes that could draw an affected question "
             f"are closed to trainees: {', '.join(sorted(cat.blocked_quizzes)) or 'none'}.")
    st.dataframe(pd.DataFrame([{"File": p.file, "Line": p.line, "Problem": p.message} for p in cat.problems]),
                 hide_index=True, width="stretch")
else:
    st.success("All content files are valid. Run `python -m training validate` after every edit.")
st.caption("Content is read once when the app starts; restart the app after changing files.")

st.subheader("Coverage: questions per policy point and module")
matrix = coverage_matrix(cat)
modules = [m.id for m in cat.modules_in_order()]
rows = []
for pid, point in cat.policy_points.items():
    row: dict[str, str | int] = {"Policy point": point.title, "Source": point.source}
    row.update({cat.modules[m].title: matrix[pid].get(m, 0) for m in modules})
    row["Total"] = sum(matrix[pid].values())
    rows.append(row)
frame = pd.DataFrame(rows)
st.dataframe(frame, hide_index=True, width="stretch", height=600)
gaps = coverage_gaps(cat)
if gaps:
    st.warning("Points of tier " + "/".join(TESTED_TIERS) + f" with fewer than {MIN_QUESTIONS_PER_POINT} questions: "
               + ", ".join(f"{pid} ({n})" for pid, n in gaps))
