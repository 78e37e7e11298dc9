"""WCAG 2.1 AA checks in a real browser: axe-core over every page as each role, and a keyboard-only trainee.

axe-core comes from the PyPI package axe-playwright-python, which ships axe.min.js (no network).
The test fails on any serious or critical violation, naming the rule and the elements. Where
the violation is in Streamlit's own markup, which this app cannot change, the exact rule and
selector are listed in STREAMLIT_MARKUP with the reason, so anything new still fails.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from app_pages.registry import HOME, pages_for
from db.engine import make_engine, write_session
from db.migrate import upgrade
from tests.conftest import FIXTURE_CONTENT, PASSWORD
from tests.e2e.conftest import App, enrol_authenticator, start_app, stop_app, wait_idle
from training import quizzes
from training.administration.assignments import assign_module
from training.administration.departments import create_department
from training.administration.officers import create_officer
from training.content import load_catalog
from training.identity.setup import create_first_admin
from training.localtime import local_today
from training.settings import Settings

LOGINS = {"trainee": "T-1", "supervisor": "S-1", "admin": "A-1"}
# The WCAG 2.0 and 2.1 level A and AA rules (the ADA Title II standard); axe's extra
# "best-practice" rules are left out to keep the walk affordable (they are moderate at most here).
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}
# Violations in Streamlit's own markup, which this app cannot change: (axe rule id, CSS selector
# the offending element matches) -> why. Matched in the browser against each reported element,
# so the same rule anywhere else, or another rule on these elements, still fails.
STREAMLIT_MARKUP: dict[tuple[str, str], str] = {
    ("list", "ul[data-testid='stSidebarNavItems']"):
        "Streamlit's sidebar navigation puts each section (a <div> with the section header) directly "
        "inside its <ul>; the app only passes sections to st.navigation.",
    ("listitem", "ul[data-testid='stSidebarNavItems'] li"):
        "the same navigation's <li> items sit inside those section <div>s, not directly in the <ul>.",
}


def seed(db: Path) -> None:
    """An administrator, a department with a supervisor and a trainee, an assignment and one pass."""
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    cfg, catalog = Settings(), load_catalog(FIXTURE_CONTENT)
    with write_session(engine) as s:
        admin = create_first_admin(session=s, name="Ada Admin", email="ada@x.org", badge_number="A-1",
                                   password=PASSWORD, settings=cfg)
        dept = create_department(session=s, actor=admin, name="North Police", code="N")
        for role, name in (("supervisor", "Sam Supervisor"), ("trainee", "Tess Trainee"), ("trainee", "Tom Trainee")):
            create_officer(session=s, actor=admin, name=name, email=f"{name.split()[0].lower()}@x.org",
                           badge_number=LOGINS[role] if name != "Tom Trainee" else "T-2", department_id=dept.id,
                           role=role, settings=cfg, password=PASSWORD)
        assign_module(session=s, actor=admin, catalog=catalog, module_id="sample-module", cycle="2027",
                      due_date=local_today() + timedelta(days=30), department_id=dept.id)
    with write_session(engine) as s:  # Tom has passed, so dashboards and records have figures to show
        from sqlmodel import select

        from db.models import Officer
        from training.identity.principal import principal_of

        tom = principal_of(s.exec(select(Officer).where(Officer.badge_number == "T-2")).one())
        attempt = quizzes.start_or_resume_attempt(session=s, actor=tom, catalog=catalog, quiz_id="sample-quiz",
                                                  rng=random.Random(1))
        for q in attempt.questions:
            right = [o.id for o in catalog.questions[q.question_id].options if o.correct]
            quizzes.save_answer(session=s, actor=tom, attempt_id=attempt.attempt_id, position=q.position, chosen=right)
    with write_session(engine) as s:
        quizzes.submit_attempt(session=s, actor=tom, catalog=catalog, attempt_id=attempt.attempt_id)
    engine.dispose()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    tmp = tmp_path_factory.mktemp("a11y")
    seed(tmp / "e2e.db")
    running = start_app(tmp, content_root=FIXTURE_CONTENT)
    yield running
    stop_app(running)



# One round trip per page: run axe, then mark in the page each node that matches a listed
# Streamlit-markup pair for its rule (hundreds of nodes in the sidebar, checked where they are).
RUN_AXE = """async ([options, markup]) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => {
    const el = document.querySelector(n.target[n.target.length - 1]);
    const excluded = !!el && markup.some(([rule, css]) => rule === v.id && el.matches(css));
    return {target: n.target.join(" "), excluded};
  })}));
}"""


def violations(page, where: str, seen: Counter[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Serious and critical axe violations on the page as it is now, minus the Streamlit-markup pairs.

    axe is injected once per page load (Streamlit's navigation does not reload the page), which
    keeps a walk over every page affordable."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    found = []
    for v in page.evaluate(RUN_AXE, [WCAG_AA, list(STREAMLIT_MARKUP)]):
        seen[f"{v['id']} ({v['impact']})"] += len(v["nodes"])
        targets = [n["target"] for n in v["nodes"] if not n["excluded"]]
        if v["impact"] in ("serious", "critical") and targets:
            found.append(f"{where}: {v['id']} ({v['impact']}) at {targets[:5]}")
    return found


def new_page(browser):  # type: ignore[no-untyped-def]
    """A fresh browser profile (no cookies); generous waits, as CI machines may be busy."""
    page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    return page


def sign_in(page, login: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Email or badge number", exact=True).fill(login)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.mark.parametrize("role", ["trainee", "supervisor", "admin"])
def test_axe_finds_no_serious_violation_on_any_page_for_the_role(app, browser, role: str) -> None:  # type: ignore[no-untyped-def]
    """One browser session per role walks all of its pages (the trainee's also checks the sign-in page)."""
    problems: list[str] = []
    seen: Counter[str] = Counter()
    page = new_page(browser)
    page.goto(app.url)
    page.get_by_role("button", name="Sign in", exact=True).wait_for()
    wait_idle(page)
    if role == "trainee":
        problems += violations(page, "sign-in", seen)
    sign_in(page, LOGINS[role])
    if role != "trainee":
        page.get_by_role("heading", name="Set up your authenticator app").wait_for()
        wait_idle(page)
        problems += violations(page, f"{role}/second-factor-enrolment", seen)
        enrol_authenticator(page)
    home = next(p for p in pages_for(role) if p.url_path == HOME[role])
    page.get_by_role("heading", name=home.title).wait_for()  # each role lands on its own home page
    wait_idle(page)
    for spec in pages_for(role):
        page.get_by_role("link", name=spec.title, exact=True).click()
        page.wait_for_url(lambda url, path=spec.url_path: urlsplit(url).path.endswith("/" + path),
                          wait_until="commit")
        wait_idle(page)
        problems += violations(page, f"{role}/{spec.url_path}", seen)
    page.context.close()
    print(f"axe, {role}: nodes per rule (all impacts, Streamlit-markup ones included):", dict(sorted(seen.items())))
    assert not problems, "\n".join(problems)


def focused(page, locator) -> bool:  # type: ignore[no-untyped-def]
    return bool(locator.evaluate("el => el === document.activeElement || el.contains(document.activeElement)"))


def tab_to(page, locator, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    """Press Tab (only) until locator has the keyboard focus; fail if it never does."""
    locator.wait_for()
    for _ in range(limit):
        if focused(page, locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} cannot be reached with the Tab key")


def press_on(page, locator, key: str = "Enter") -> None:  # type: ignore[no-untyped-def]
    tab_to(page, locator)
    page.keyboard.press(key)
    wait_idle(page)


def choose(page, option) -> None:  # type: ignore[no-untyped-def]
    """Tick a checkbox (Tab to it, Space) or pick a radio option. A radio group is one Tab stop, as
    in every browser: Tab into the group, then the arrow keys move to the option, Space picks it."""
    if option.get_attribute("type") != "radio":
        press_on(page, option, "Space")
        return
    group = option.locator("xpath=ancestor::*[@role='radiogroup'][1]")
    tab_to(page, group)
    for _ in range(10):
        if focused(page, option):
            if not option.is_checked():  # an arrow key moves the choice along with the focus
                page.keyboard.press("Space")
            wait_idle(page)
            assert option.is_checked()
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{option} cannot be reached with the arrow keys in its group")


def test_a_trainee_signs_in_reads_and_passes_a_quiz_with_the_keyboard_only(app, browser) -> None:  # type: ignore[no-untyped-def]
    catalog = load_catalog(FIXTURE_CONTENT)
    page = new_page(browser)
    page.goto(app.url)
    tab_to(page, page.get_by_label("Email or badge number", exact=True))
    page.keyboard.type("T-1")
    tab_to(page, page.get_by_label("Password", exact=True))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="My training").wait_for()
    wait_idle(page)
    press_on(page, page.get_by_role("button", name="Open").first)
    press_on(page, page.get_by_role("button", name="Mark as read and continue"))
    press_on(page, page.get_by_role("button", name="Mark as read and go to the quiz"))
    press_on(page, page.get_by_role("button", name="Start the quiz"))
    page.get_by_role("button", name="Submit answers").wait_for()
    wait_idle(page)
    seen: Counter[str] = Counter()
    problems = violations(page, "trainee/open-quiz", seen)
    for q in catalog.questions.values():
        box = page.locator("[data-testid='stLayoutWrapper']").filter(has_text=q.stem).last
        for option in q.options:
            if option.correct:
                choose(page, box.get_by_label(option.text, exact=True))
    press_on(page, page.get_by_role("button", name="Submit answers"))
    page.get_by_text("Passed: you scored 100%").wait_for()
    assert not problems, "\n".join(problems)
