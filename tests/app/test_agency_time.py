"""Times people read are in the agency's zone (FIPP_TIMEZONE, default America/New_York); stored times stay UTC."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from pypdf import PdfReader
from sqlalchemy import text

from db.engine import read_session
from tests.quiz_helpers import pass_quiz
from training.certificates import certificate_pdf
from training.localtime import local_today
from training.records import certificate_data

EVENING = datetime(2027, 3, 2, 4, 30, tzinfo=UTC)  # stored UTC: 23:30 EST on Monday, March 1, 2027 in Vermont


def _certificate_text(engine) -> str:  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        cid, stored = s.execute(text("select id, completed_at from completion")).one()
        data = certificate_data(session=s, completion_id=cid, module_title="Sample module for tests")
    assert str(stored).startswith("2027-03-02 04:30")  # the database keeps UTC
    reader = PdfReader(io.BytesIO(certificate_pdf(data)))
    assert reader.metadata.title == f"Certificate {data.verification_code}"  # a document title and a language
    assert reader.trailer["/Root"]["/Lang"] == "en-US"
    return reader.pages[0].extract_text()


def test_an_evening_completion_in_vermont_is_dated_that_day_on_certificate_and_screen(
        run_page, engine, people, catalog, monkeypatch):
    monkeypatch.setattr("training.quizzes.utcnow", lambda: EVENING)
    pass_quiz(engine, people["north_trainee"], catalog)
    cert = _certificate_text(engine)
    assert "March 01, 2027 (America/New_York)" in cert and "March 02" not in cert
    at = run_page("app_pages/trainee/records.py", people["north_trainee"])
    shown = " ".join(m.value for m in at.markdown)
    assert "Completed March 01, 2027" in shown and "March 02" not in shown
    monkeypatch.setenv("FIPP_TIMEZONE", "UTC")  # positive control: in UTC it is the next day
    assert "March 02, 2027 (UTC)" in _certificate_text(engine)


def test_today_for_due_dates_is_the_agency_local_date():
    assert local_today(EVENING) == date(2027, 3, 1)
