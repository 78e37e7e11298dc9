"""The identity pages in AppTest: first-password links handed over, set-password from a link,
forgot password answering alike, and names never rendered as Markdown (finding 9)."""

from __future__ import annotations

import time

from db.engine import write_session
from db.models import Officer
from tests.services.test_reminders import smtp  # noqa: F401 - the local aiosmtpd server fixture
from training.identity.signin import sign_in

EVIL = "Eve ![x](http://attacker.example/p.png) [click](http://attacker.example)"
NEW = "a brand new pass phrase for tests"


def test_an_officer_added_without_a_password_gets_a_link_and_the_name_stays_plain(run_page, engine, people):
    at = run_page("app_pages/admin/people.py", people["admin"])
    at.text_input(key="people.officer.name").input(EVIL)
    at.text_input(key="people.officer.badge").input("N-55")
    at.text_input(key="people.officer.email").input("eve@north.example.org")
    at.selectbox(key="people.officer.dept").select(people["north_trainee"].department_id)
    at.button(key="FormSubmitter:people.officer-Add officer").click().run()
    assert not at.exception
    [flash] = at.success
    assert "](" not in flash.value.replace("\\]\\(", "")  # finding 9: before, the image and link were live
    [code] = at.code
    assert code.value.startswith("/set-password?token=")

    page = run_page("app_pages/auth/set_password.py", None, **{})
    page.query_params["token"] = code.value.split("token=")[1]
    page.run()
    page.text_input(key="setpw.new").input(NEW)
    page.text_input(key="setpw.again").input(NEW)
    page.button(key="FormSubmitter:setpw.form-Set password").click().run()
    assert not page.exception and page.success
    with write_session(engine) as s:
        assert sign_in(session=s, login="N-55", password=NEW, settings=_settings()).ok
    again = run_page("app_pages/auth/set_password.py", None)
    again.query_params["token"] = code.value.split("token=")[1]
    again.run()
    assert "not valid" in again.error[0].value  # used once


def _settings():  # type: ignore[no-untyped-def]
    from training.settings import Settings

    return Settings()


def test_a_supervisor_sees_an_officer_name_as_plain_text(run_page, engine, people):
    with write_session(engine) as s:
        s.get(Officer, people["north_trainee"].officer_id).name = EVIL
    at = run_page("app_pages/supervisor/officer.py", people["north_supervisor"])
    at.selectbox(key="officer.pick").select(people["north_trainee"].officer_id).run()
    heading = at.subheader[0].value
    assert "attacker" in heading and "](" not in heading.replace("\\]\\(", "")


def test_forgot_password_answers_the_same_for_known_and_unknown_emails(run_page, people, smtp, monkeypatch):  # noqa: F811
    inbox, settings = smtp
    for key, value in {"FIPP_SMTP_HOST": "127.0.0.1", "FIPP_SMTP_PORT": str(settings.port),
                       "FIPP_SMTP_FROM": "fipp@example.org", "FIPP_SMTP_TLS": "none"}.items():
        monkeypatch.setenv(key, value)
    answers = []
    for email in ("trainee@north.example.org", "nobody@north.example.org"):
        at = run_page("app_pages/auth/login.py", None)
        at.text_input(key="login.forgot.email").input(email)
        at.button(key="FormSubmitter:login.forgot-Email me a link").click().run()
        answers.append([i.value for i in at.info])
    assert answers[0] == answers[1] and answers[0]
    deadline = time.monotonic() + 10
    while not inbox.to("trainee@north.example.org") and time.monotonic() < deadline:
        time.sleep(0.05)  # the email goes out on a background thread: poll for it
    assert len(inbox.messages) == 1 and inbox.to("trainee@north.example.org")


def test_the_sign_in_page_throttles_a_login_known_or_not(run_page, people, monkeypatch):
    from training.identity.throttle import TOO_MANY

    monkeypatch.setenv("FIPP_SIGNIN_PER_LOGIN", "2")
    for login in ("north-trainee", "nobody-at-all"):
        at = run_page("app_pages/auth/login.py", None)
        seen = []
        for _ in range(3):
            at.text_input(key="login.user").input(login)
            at.text_input(key="login.password").input("wrong wrong wrong wrong")
            at.button(key="FormSubmitter:login.form-Sign in").click().run()
            seen.append([e.value for e in at.error])
        assert TOO_MANY not in seen[0][0] and seen[2] == [TOO_MANY], (login, seen)  # the first was checked
