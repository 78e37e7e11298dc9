"""Sessions in a real browser: a deep link signed out, a reload mid-quiz, a new tab, a first password.

One journey on purpose (browser tests are the slowest kind): everything the issue's "done
when" asks of cookie sessions and one-time links, in the order an officer meets them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from db.engine import make_engine, write_session
from db.migrate import upgrade
from tests.conftest import FIXTURE_CONTENT, ROOT
from tests.e2e.conftest import start_app, stop_app, wait_idle
from training.administration.departments import create_department
from training.administration.officers import create_officer
from training.content import load_catalog
from training.identity.links import issue_link, link_url
from training.identity.setup import create_first_admin
from training.settings import Settings

ADMIN_PW = "granite quarry lantern meadow"
TRAINEE_PW = "maple syrup tractor snowfall"
FIRST_PW = "orchard lighthouse pebble violin"


def seed(db: Path) -> str:
    """An administrator, a trainee with a password, and one without: returns that one's set-password link."""
    eng = make_engine(f"sqlite:///{db}")
    upgrade(eng)
    cfg = Settings()
    with write_session(eng) as s:
        admin = create_first_admin(session=s, name="Ada Admin", email="ada@state.example", badge_number="VT-1",
                                   password=ADMIN_PW, settings=cfg)
        dept = create_department(session=s, actor=admin, name="Lake Police", code="LP")
        create_officer(session=s, actor=admin, name="Tess Trainee", email="tess@lp.example", badge_number="LP-7",
                       department_id=dept.id, role="trainee", settings=cfg, password=TRAINEE_PW)
        new = create_officer(session=s, actor=admin, name="Nia New", email="nia@lp.example", badge_number="LP-8",
                             department_id=dept.id, role="trainee", settings=cfg)
        assert new.id is not None
        link = link_url(issue_link(session=s, officer_id=new.id, purpose="first_password", actor_id=admin.officer_id))
    eng.dispose()
    return link


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    link = seed(tmp_path / "e2e.db")
    running = start_app(tmp_path, content_root=FIXTURE_CONTENT)
    running.first_password_link = link  # type: ignore[attr-defined]
    yield running
    stop_app(running)


def sign_in(page, login: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Email or badge number", exact=True).fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sessions_survive_reload_tab_and_deep_link(app, browser) -> None:  # type: ignore[no-untyped-def]
    catalog = load_catalog(FIXTURE_CONTENT)
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()

    # A deep link, signed out: the sign-in form at that address, then the page asked for.
    page.goto(f"{app.url}/module?module=sample-module")
    page.get_by_role("button", name="Sign in").wait_for()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    # The tab's icon is the app's own (served at /favicon.png, webserver/routes.py), not Streamlit's.
    icon = page.evaluate("new URL(document.querySelector(\"link[rel='shortcut icon']\").href).pathname")
    assert icon == "/favicon.png"
    assert context.request.get(f"{app.url}{icon}").body() == (ROOT / "assets" / "icon.png").read_bytes()
    sign_in(page, "LP-7", TRAINEE_PW)
    page.get_by_role("heading", name="Sample module for tests").wait_for()
    assert "/module" in page.url and "module=sample-module" in page.url
    cookie = next(c for c in context.cookies() if c["name"] == "fipp_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    # Mid-quiz: one answer given, then a reload keeps the officer signed in, on the quiz, with the answer.
    page.get_by_role("button", name="Mark as read and continue").click()
    wait_idle(page)
    page.get_by_role("button", name="Mark as read and go to the quiz").click()
    wait_idle(page)
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Submit answers").wait_for()
    wait_idle(page)
    question = next(q for q in catalog.questions.values() if q.type != "multi")
    answer = next(o for o in question.options if o.correct)
    box = page.locator("[data-testid='stLayoutWrapper']").filter(has_text=question.stem).last
    box.get_by_text(answer.text, exact=True).click()
    wait_idle(page)
    page.reload()
    page.get_by_role("button", name="Submit answers").wait_for()
    box = page.locator("[data-testid='stLayoutWrapper']").filter(has_text=question.stem).last
    expect(box.get_by_role("radio", name=answer.text, exact=True)).to_be_checked()

    # A new tab is signed in too.
    tab = context.new_page()
    tab.goto(f"{app.url}/my-records")
    tab.get_by_role("heading", name="My records").wait_for()

    # Signing out in one tab ends the session everywhere: the other tab's next action meets the sign-in form.
    tab.get_by_role("link", name="Account").click()
    tab.get_by_role("button", name="Sign out").click()
    tab.get_by_role("button", name="Sign in").wait_for()
    assert not any(c["name"] == "fipp_session" for c in context.cookies())
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()
    context.close()

    # An officer added without a password sets their first one from the one-time link, then signs in.
    fresh = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = fresh.new_page()
    page.goto(app.url + app.first_password_link)
    page.get_by_text("Nia New").wait_for()
    page.get_by_label("New password (at least 15 characters)", exact=True).fill(FIRST_PW)
    page.get_by_label("New password again", exact=True).fill(FIRST_PW)
    page.get_by_role("button", name="Set password").click()
    page.get_by_role("button", name="Sign in").wait_for()
    sign_in(page, "nia@lp.example", FIRST_PW)
    page.get_by_role("heading", name="My training").wait_for()
    page.goto(app.url + app.first_password_link)  # the link worked once
    page.get_by_text("This link is not valid").wait_for()
    fresh.close()
