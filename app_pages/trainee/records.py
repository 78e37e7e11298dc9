"""My records: every attempt and completion, with a PDF certificate for each completion."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.trainee.quiz_view import show_review
from db.engine import read_session
from training.certificates import certificate_pdf
from training.evidence.public import verification_url
from training.history import my_attempts
from training.localtime import format_local, format_local_date
from training.records import certificate_data, officer_completions
from training.review import attempt_review

who = common.require("trainee", "supervisor", "admin")
cat = common.catalog()
st.title("My records")
with read_session(common.engine()) as s:
    completions = officer_completions(session=s, officer_id=who.officer_id)
    attempts = my_attempts(session=s, actor=who)


def _certificate(completion_id: int, title: str, code: str) -> Callable[[], bytes]:
    engine = common.engine()

    def render() -> bytes:
        with read_session(engine) as s:
            data = certificate_data(session=s, completion_id=completion_id, module_title=title)
        return certificate_pdf(data, verify_url=verification_url(code), verify_hint=(
            "Anyone can check this certificate with its verification code at the address below "
            "or by scanning the QR code."))
    return render


st.subheader("Completions")
if not completions:
    st.info("No completed modules yet. A module is complete when you pass its quiz.")
for c in completions:
    assert c.id is not None  # a stored completion always has its id
    title = cat.modules[c.module_id].title if c.module_id in cat.modules else c.module_id
    with st.container(border=True):
        left, right = st.columns([4, 1])
        left.markdown(f"**{title}**  \nCompleted {format_local_date(c.completed_at)} · score {c.score:.0f}% · cycle {c.cycle}"
                      f"  \nVerification code `{c.verification_code}` · module version `{c.module_version_hash[:12]}`")
        # Rendered when clicked (about a second each), not on every visit to this page.
        right.download_button("Certificate (PDF)", data=_certificate(c.id, title, c.verification_code),
            file_name=f"certificate-{c.module_id}-{c.verification_code}.pdf", mime="application/pdf",
            key=f"records.cert.{c.id}")

st.subheader("Quiz attempts")
if not attempts:
    st.info("No quiz attempts yet.")
else:
    table = pd.DataFrame([{
        "Attempt": a.id, "Quiz": cat.quizzes[a.quiz_id].title if a.quiz_id in cat.quizzes else a.quiz_id,
        "Try": a.attempt_number, "Started": format_local(a.started_at), "Submitted": format_local(a.submitted_at),
        "Score %": a.score, "Result": "open" if a.status == "open" else ("passed" if a.passed else "not passed"),
    } for a in attempts])
    st.dataframe(table, hide_index=True, width="stretch")
    submitted = [a.id for a in attempts if a.status == "submitted"]
    if submitted:
        pick = st.selectbox("Review a submitted attempt", submitted, key="records.review", index=None,
                            format_func=lambda i: f"Attempt {i}")
        if pick:
            with read_session(common.engine()) as s:
                show_review(attempt_review(session=s, actor=who, catalog=cat, attempt_id=pick))
