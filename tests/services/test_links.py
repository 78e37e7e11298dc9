"""One-time set-password links (issue 9 section 4): first passwords, recovery, the commands, forgot password."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from db.models import utcnow
from tests.conftest import PASSWORD
from tests.services.test_reminders import smtp  # noqa: F401 - the local aiosmtpd server fixture
from training.cli import main as cli
from training.errors import InvalidInput, NotAllowed
from training.identity.links import email_link, issue_link, link_target, request_reset, use_link
from training.identity.officers import change_own_password
from training.identity.sessions import check_session, open_session, token_hash
from training.identity.signin import sign_in

NEW = "a brand new pass phrase for tests"


def issue(engine, who, purpose="first_password", now=None):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        return issue_link(session=s, officer_id=who.officer_id, purpose=purpose, actor_id=None, now=now)


def use(engine, token, password=NEW, now=None):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        use_link(session=s, token=token, password=password, settings=_settings(), now=now)


def _settings():  # type: ignore[no-untyped-def]
    from training.settings import Settings

    return Settings()


def signs_in(engine, login, password):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        return sign_in(session=s, login=login, password=password, settings=_settings()).ok


def test_a_link_sets_the_password_once_and_ends_every_session(engine, people):
    who = people["north_trainee"]
    with write_session(engine) as s:
        old_session, _ = open_session(session=s, officer_id=who.officer_id)
    token = issue(engine, who)
    with read_session(engine) as s:
        assert link_target(session=s, token=token).name == "north trainee"
        stored = s.execute(text("select token_hash from one_time_link")).scalars().all()
    assert stored == [token_hash(token)]  # only the hash is kept
    use(engine, token)
    assert signs_in(engine, "north-trainee", NEW) and not signs_in(engine, "north-trainee", PASSWORD)
    with write_session(engine) as s:
        assert check_session(session=s, token=old_session, settings=_settings()).principal is None
    with pytest.raises(InvalidInput):
        use(engine, token, "yet another long pass phrase")  # single use


def test_a_link_expires_after_24_hours_and_a_newer_one_replaces_it(engine, people):
    who = people["north_trainee"]
    expired = issue(engine, who, now=utcnow() - timedelta(hours=24, seconds=1))
    with pytest.raises(InvalidInput):
        use(engine, expired)
    first, second = issue(engine, who), issue(engine, who)
    with pytest.raises(InvalidInput):
        use(engine, first)
    use(engine, second)  # positive control: a fresh link works


def test_changing_your_own_password_asks_for_the_current_one(engine, people):
    who = people["north_trainee"]
    with write_session(engine) as s, pytest.raises(NotAllowed):
        change_own_password(session=s, actor=who, current="not my password at all", new=NEW, settings=_settings())
    with write_session(engine) as s:
        change_own_password(session=s, actor=who, current=PASSWORD, new=NEW, settings=_settings())
    assert signs_in(engine, "north-trainee", NEW)


def test_create_admin_and_reset_password_commands_print_a_link_and_are_audited(engine, people, capsys):
    url = engine.url.render_as_string(hide_password=False)
    assert cli(["create-admin", "--name", "Rex Admin", "--email", "rex@state.example", "--badge", "R-1",
                "--database-url", url]) == 0
    token = parse_qs(urlsplit(re.search(r"(/set-password\S+)", capsys.readouterr().out).group(1)).query)["token"][0]
    use(engine, token)
    assert signs_in(engine, "rex@state.example", NEW)
    assert cli(["reset-password", "TRAINEE@north.example.org", "--database-url", url]) == 0
    token = parse_qs(urlsplit(re.search(r"(/set-password\S+)", capsys.readouterr().out).group(1)).query)["token"][0]
    use(engine, token, "the trainee's recovered pass phrase")
    assert signs_in(engine, "north-trainee", "the trainee's recovered pass phrase")
    assert cli(["reset-password", "nobody@example.org", "--database-url", url]) == 1
    with read_session(engine) as s:
        actions = s.execute(text("select action from audit_event where action like 'account.%'")).scalars().all()
    assert {"account.create", "account.reset_by_command", "account.link_issued",
            "account.password_set_by_link"} <= set(actions)


def test_forgot_password_emails_a_link_only_to_a_real_account_and_audits_both_alike(engine, people, smtp):  # noqa: F811
    inbox, settings = smtp
    with write_session(engine) as s:
        known = request_reset(session=s, email="Trainee@North.example.org")
        unknown = request_reset(session=s, email="nobody@north.example.org")
    assert known is not None and unknown is None
    email_link(smtp=settings, to=known[0], token=known[1], purpose="reset")
    [message] = inbox.to("trainee@north.example.org")
    link = re.search(r"/set-password\?token=\S+", message.get_payload(decode=True).decode()).group(0)
    use(engine, parse_qs(urlsplit(link).query)["token"][0])
    assert signs_in(engine, "north-trainee", NEW)
    with read_session(engine) as s:
        rows = s.execute(text("select count(*) from audit_event where action = 'account.reset_requested'")).scalar()
    assert rows == 2
