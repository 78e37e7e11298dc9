"""The router: first-run setup, the sign-in gate, and pages chosen by role."""

from urllib.parse import parse_qs, urlsplit

import pyotp
from streamlit.testing.v1 import AppTest

from app_pages import common
from app_pages.auth.flow import REDIRECT
from db.engine import write_session
from tests.conftest import PASSWORD, ROOT
from training.identity.sessions import redeem_handoff

BROWSER = "a-browser-key-as-the-middleware-would-set-it"


def router() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.session_state[common.BROWSER_KEY] = BROWSER  # AppTest cannot send the browser-key cookie
    return at


def follow_sign_in(at: AppTest, engine) -> AppTest:  # type: ignore[no-untyped-def]
    """Do what the browser and /session/start do after the sign-in page's redirect."""
    url = urlsplit(at.session_state[REDIRECT])
    assert url.path == "/session/start"
    query = parse_qs(url.query)
    with write_session(engine) as s:
        token = redeem_handoff(session=s, handoff=query["h"][0], browser_key=BROWSER)
    assert token is not None
    at.session_state[common.SESSION_TOKEN] = token
    return at.run()


def test_an_empty_database_opens_on_creating_the_first_administrator(app_env):
    at = router().run()
    assert at.title[0].value == "Set up FIPP Academy"
    at.text_input(key="setup.name").input("Ada Admin")
    at.text_input(key="setup.email").input("ada@state.example")
    at.text_input(key="setup.badge").input("S-1")
    at.text_input(key="setup.password").input(PASSWORD)
    at.text_input(key="setup.confirm").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    # An administrator enrols an authenticator before any session exists (training/identity/second_factor.py).
    assert REDIRECT not in at.session_state
    assert at.subheader[0].value == "Set up your authenticator app"
    secret = at.code[0].value.replace(" ", "")
    at.text_input(key="mfa.code").input("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    at.button(key="FormSubmitter:mfa.form-Verify").click().run()
    assert at.error and REDIRECT not in at.session_state  # positive control: a wrong code opens nothing
    at.text_input(key="mfa.code").input(pyotp.TOTP(secret).now())
    at.button(key="FormSubmitter:mfa.form-Verify").click().run()
    assert len(at.code[-1].value.splitlines()) == 10  # the recovery codes, shown once
    at.button(key="mfa.continue").click().run()
    follow_sign_in(at, app_env)
    assert at.session_state[common.PRINCIPAL].role == "admin"


def test_mismatched_setup_passwords_create_nothing(app_env):
    at = router().run()
    for key, value in [("setup.name", "A"), ("setup.email", "a@x.org"), ("setup.badge", "1"),
                       ("setup.password", PASSWORD), ("setup.confirm", PASSWORD + "x")]:
        at.text_input(key=key).input(value)
    at.button[0].click().run()
    assert "The two passwords differ." in [e.value for e in at.error]
    assert router().run().title[0].value == "Set up FIPP Academy"


def test_a_wrong_password_shows_the_generic_message(app_env, people):
    at = router().run()
    at.text_input(key="login.user").input("north-trainee")
    at.text_input(key="login.password").input("definitely not the password")
    at.button[0].click().run()
    assert any("Sign-in failed" in e.value for e in at.error)
    assert common.PRINCIPAL not in at.session_state


def test_a_trainee_signs_in_and_lands_on_their_training(app_env, people):
    at = router().run()
    at.text_input(key="login.user").input("trainee@north.example.org")
    at.text_input(key="login.password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert common.PRINCIPAL not in at.session_state  # not until the browser holds the cookie
    follow_sign_in(at, app_env)
    assert at.session_state[common.PRINCIPAL].officer_id == people["north_trainee"].officer_id
    assert at.title[0].value == "My training"
