import io

import pytest
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from db.engine import read_session, write_session
from tests.quiz_helpers import pass_quiz
from training import quizzes
from training.certificates import certificate_pdf
from training.records import certificate_data, find_by_code, verify_chain


def test_a_completion_pins_the_module_version_and_verifies_by_code(engine, people, catalog):
    result = pass_quiz(engine, people["north_trainee"], catalog)
    with read_session(engine) as s:
        code = s.execute(text("select verification_code from completion")).scalar()
        found = find_by_code(session=s, code=code.lower())
    assert found is not None and found.attempt_id == result.attempt_id
    assert found.module_version_hash == catalog.modules["sample-module"].version_hash


def test_completions_form_a_hash_chain_that_verifies(engine, people, catalog):
    pass_quiz(engine, people["north_trainee"], catalog)
    pass_quiz(engine, people["south_trainee"], catalog)
    with read_session(engine) as s:
        check = verify_chain(session=s)
    assert (check.ok, check.checked) == (True, 2)


def test_the_certificate_prints_unicode_names_and_the_verification_code(engine, people, catalog):
    with write_session(engine) as s:
        s.execute(text("update officer set name = 'Łukasz José Nuñez' where id = :i"),
                  {"i": people["north_trainee"].officer_id})
    pass_quiz(engine, people["north_trainee"], catalog)
    with read_session(engine) as s:
        cid, code = s.execute(text("select id, verification_code from completion")).one()
        data = certificate_data(session=s, completion_id=cid, module_title="Sample module for tests")
    pdf = PdfReader(io.BytesIO(certificate_pdf(data)))
    text_ = pdf.pages[0].extract_text()
    assert "Łukasz José Nuñez" in text_ and code in text_ and "North Police" in text_


def test_a_certificate_with_its_check_address_is_one_page(engine, people, catalog):
    pass_quiz(engine, people["north_trainee"], catalog)
    with read_session(engine) as s:
        cid = s.execute(text("select id from completion")).scalar()
        data = certificate_data(session=s, completion_id=cid, module_title="Sample module for tests")
    url = "https://fipp.example.gov/verify?code=" + data.verification_code
    pdf = PdfReader(io.BytesIO(certificate_pdf(data, verify_hint="Anyone can check it.", verify_url=url)))
    assert len(pdf.pages) == 1  # the address printed at the foot once spilled onto an unframed second page
    assert url in pdf.pages[0].extract_text()


def test_the_database_allows_one_open_attempt_per_trainee_per_quiz(engine, people, catalog):
    me = people["north_trainee"]
    with write_session(engine) as s:
        quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("insert into attempt (officer_id, quiz_id, quiz_hash, attempt_number, status, started_at,"
                          " pass_mark) values (:o, 'sample-quiz', 'x', 2, 'open', CURRENT_TIMESTAMP, 80)"),
                     {"o": me.officer_id})
