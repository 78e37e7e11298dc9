"""Agency single sign-on against a real OIDC provider, and a supervisor's TOTP, in a real browser.

The provider is oidc-provider-mock (a real OpenID Connect server built on Authlib) on a local
port; the app is `streamlit run` with an [auth] section pointing at it. The TOTP codes are
computed here with pyotp from the key the enrolment page shows as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from db.engine import make_engine, write_session
from db.migrate import upgrade
from tests.e2e.conftest import App, enrol_authenticator, free_port, start_app, stop_app
from training.administration.departments import create_department
from training.administration.officers import create_officer
from training.identity.setup import create_first_admin
from training.settings import Settings

PW = "granite quarry lantern meadow"
SUPERVISOR = "sam.supervisor@north.example.org"
SSO_OFFICER = "tess.trainee@north.example.org"


def _seed(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    cfg = Settings()
    with write_session(engine) as s:
        admin = create_first_admin(session=s, name="Ada Admin", email="ada@state.example.org", badge_number="A-1",
                                   password=PW, settings=cfg)
        dept = create_department(session=s, actor=admin, name="North Police", code="NPD")
        create_officer(session=s, actor=admin, name="Sam Supervisor", email=SUPERVISOR, badge_number="N-2",
                       department_id=dept.id, role="supervisor", settings=cfg, password=PW)
        create_officer(session=s, actor=admin, name="Tess Trainee", email=SSO_OFFICER, badge_number="N-3",
                       department_id=dept.id, role="trainee", settings=cfg)  # no password: SSO only
    engine.dispose()


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    from oidc_provider_mock import User, run_server_in_thread

    tmp = tmp_path_factory.mktemp("sso")
    users = [User(sub="tess", claims={"email": SSO_OFFICER.upper(), "email_verified": True, "name": "Tess"}),
             User(sub="stranger", claims={"email": "stranger@elsewhere.example.org", "email_verified": True})]
    with run_server_in_thread(user_claims=users) as idp:
        port = free_port()
        secrets = tmp / "secrets.toml"
        secrets.write_text(f'''[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "e2e-only-cookie-secret-0123456789abcdef"
[auth.agency]
client_id = "fipp-academy"
client_secret = "e2e-only-client-secret"
server_metadata_url = "http://localhost:{idp.server_port}/.well-known/openid-configuration"
''')
        _seed(f"sqlite:///{tmp / 'e2e.db'}")
        app = start_app(tmp, port=port, extra_args=["--secrets.files", str(secrets)])
        yield app
        stop_app(app)


def _sign_in_with_password(page, login: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Email or badge number", exact=True).fill(login)
    page.get_by_label("Password", exact=True).fill(PW)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_sso_signs_a_mapped_officer_in_and_refuses_an_unmapped_identity(sso_app, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(sso_app.url)
    page.get_by_role("button", name="Sign in with your agency account").click()
    page.get_by_role("button", name="tess").click()  # the provider's own page: sign in as this user
    page.get_by_role("heading", name="My training").wait_for()
    page.get_by_text("Tess Trainee (Trainee)").wait_for()

    page = browser.new_context().new_page()  # another browser: no session, no identity cookie
    page.goto(sso_app.url)
    page.get_by_role("button", name="Sign in with your agency account").click()
    page.get_by_role("button", name="stranger").click()
    page.get_by_text("does not match an active FIPP Academy account").wait_for()
    page.get_by_text("stranger@elsewhere.example.org").first.wait_for()
    assert page.get_by_role("heading", name="My training").count() == 0


def test_a_supervisor_enrols_an_authenticator_then_signs_in_with_a_code(sso_app, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(sso_app.url)
    _sign_in_with_password(page, SUPERVISOR)
    totp = enrol_authenticator(page)
    page.get_by_role("heading", name="Department dashboard").wait_for()  # supervisors land on their department

    page = browser.new_context().new_page()  # another browser: the next sign-in asks for a code
    page.goto(sso_app.url)
    _sign_in_with_password(page, SUPERVISOR)
    page.get_by_role("heading", name="Enter your code").wait_for()
    # This step's code was used to enrol and is refused now; the next step's is accepted (clock drift window).
    next_code = totp.at(datetime.now(timezone.utc) + timedelta(seconds=30))
    page.get_by_label("6-digit code from your app, or a recovery code", exact=True).fill(next_code)
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("heading", name="Department dashboard").wait_for()
    page.get_by_text("Sam Supervisor (Supervisor)").wait_for()
