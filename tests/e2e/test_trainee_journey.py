"""The whole trainee path in a real browser: first admin, a trainee, lessons, quiz, record, certificate."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import FIXTURE_CONTENT
from tests.e2e.conftest import (
    answer_every_question_correctly,
    enrol_authenticator,
    read_lessons_and_start_quiz,
    start_app,
    stop_app,
)
from training.content import load_catalog

ADMIN_PW = "granite quarry lantern meadow"
TRAINEE_PW = "maple syrup tractor snowfall"


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    running = start_app(tmp_path, content_root=FIXTURE_CONTENT)
    yield running
    stop_app(running)


def fill(page, label: str, value: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label(label, exact=True).fill(value)


def test_first_admin_to_certificate(app, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    catalog = load_catalog(FIXTURE_CONTENT)
    page = browser.new_page(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    page.goto(app.url)
    page.get_by_text("Set up FIPP Academy").first.wait_for()
    fill(page, "Full name", "Ada Admin")
    fill(page, "Email", "ada@state.example")
    fill(page, "Badge or employee number", "VT-0001")
    fill(page, "Password (at least 15 characters)", ADMIN_PW)
    fill(page, "Password again", ADMIN_PW)
    page.get_by_role("button", name="Create administrator").click()
    enrol_authenticator(page)  # administrators enrol a second factor before their first session
    page.get_by_role("heading", name="Statewide view").wait_for()  # administrators land on the statewide view

    page.get_by_role("link", name="Departments and officers").click()
    page.get_by_role("heading", name="Departments and officers").wait_for()
    fill(page, "Department name", "Łąka Village Police")
    fill(page, "Short code (e.g. BPD)", "LVP")
    page.get_by_role("button", name="Add department").click()
    page.get_by_text("Department added").wait_for()
    fill(page, "Full name", "José Łukasz Nuñez")
    fill(page, "Badge or employee number", "LVP-7")
    fill(page, "Email", "jose@lvp.example")
    page.get_by_role("combobox", name="Department").click()
    page.get_by_role("option", name="Łąka Village Police").click()
    fill(page, "Initial password (at least 15 characters)", TRAINEE_PW)
    page.get_by_role("button", name="Add officer").click()
    page.get_by_text("Officer added").wait_for()

    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    fill(page, "Email or badge number", "LVP-7")
    fill(page, "Password", TRAINEE_PW)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My training").wait_for()
    page.get_by_text("Not started").first.wait_for()

    read_lessons_and_start_quiz(page)
    page.get_by_role("heading", name="Sample module for tests").wait_for()

    answer_every_question_correctly(page, catalog)
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_text("Passed: you scored 100%").wait_for()
    expect(page.get_by_text("Why:")).to_have_count(len(catalog.questions))

    page.get_by_role("link", name="My records").click()
    page.get_by_role("heading", name="Completions").wait_for()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Certificate (PDF)").click()
    pdf_path = tmp_path / "cert.pdf"
    dl.value.save_as(pdf_path)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    assert "José Łukasz Nuñez" in text
    assert "Łąka Village Police" in text
    assert "Sample module for tests" in text
    page.screenshot(path=str(tmp_path / "records.png"), full_page=True)
