"""Settings: every bad value is an error at start that names the variable, never a silent default."""

import os
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from training import settings as settings_module
from training.evidence.keys import new_private_line
from training.identity import passwords
from training.mail import smtp_settings
from training.settings import Settings, SettingsError, get_settings

# (variable, bad value, words the error must contain)
BAD = [
    ("FIPP_PASSWORD_MIN_LENGTH", "abc", "valid integer"),  # was: silently 15
    ("FIPP_PASSWORD_MIN_LENGTH", "4", "greater than or equal to 8"),  # was: silently clamped to 8
    ("FIPP_LOCKOUT_THRESHOLD", "0", "greater than or equal to 1"),
    ("FIPP_IDLE_TIMEOUT_MINUTES", "-5", "greater than or equal to 1"),
    ("FIPP_SIGNIN_PER_LOGIN", "ten", "valid integer"),
    ("FIPP_HASH_SLOTS", "1.5", "valid integer"),
    ("FIPP_TOTP_MAX_FAILURES", "0", "greater than or equal to 1"),
    ("FIPP_SMTP_PORT", "99999", "less than or equal to 65535"),
    ("FIPP_SMTP_TLS", "tls", "'starttls', 'ssl' or 'none'"),
    ("FIPP_TIMEZONE", "Mars/Olympus_Mons", "not a time zone"),
    ("FIPP_PUBLIC_URL", "academy.example.org", "not an http(s) address"),
    ("FIPP_XAPI_BASE", "ftp://example.org", "not an http(s) address"),
    ("FIPP_XAPI_ACTOR", "name", "'account' or 'email'"),
    ("FIPP_LRS_URL", "lrs", "not an http(s) address"),
    ("DATABASE_URL", "not a url", "not a database URL"),
    ("DATABASE_OWNER_URL", "::", "not a database URL"),
    ("FIPP_TOTP_KEY", "c2hvcnQ=", "not 32 bytes"),
    ("FIPP_CONTENT_ROOT", "/no/such/folder", "not a folder"),
    ("FIPP_EVIDENCE_KEY", "ed25519-private bm90LWEta2V5", "line 1: not an ed25519-private or ed25519-public key"),
    ("FIPP_EVIDENCE_KEY", "# only a comment", "no keys in it"),
]


@pytest.mark.parametrize(("name", "value", "words"), BAD)
def test_a_bad_value_is_an_error_naming_the_variable(monkeypatch, name, value, words):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        get_settings()
    assert f"{name}" in str(caught.value) and words in str(caught.value)


def test_the_same_variables_are_fine_when_the_values_are_good(monkeypatch):
    # Positive control for the table above: each variable given a good value is accepted.
    good = {"FIPP_PASSWORD_MIN_LENGTH": "20", "FIPP_SMTP_PORT": "2525", "FIPP_SMTP_TLS": " SSL ",
            "FIPP_TIMEZONE": "America/Chicago", "FIPP_PUBLIC_URL": "https://academy.example.org/",
            "FIPP_XAPI_ACTOR": "email", "DATABASE_URL": "postgresql+psycopg://app@db.example.org/fipp",
            "FIPP_TOTP_KEY": "dGVzdC1vbmx5LXRvdHAta2V5LTMyLWJ5dGVzLWxvbmc=", "FIPP_CONTENT_ROOT": str(ROOT),
            "FIPP_EVIDENCE_KEY": new_private_line()}
    for name, value in good.items():
        monkeypatch.setenv(name, value)
    cfg = get_settings()
    assert (cfg.password_min_length, cfg.smtp_port, cfg.smtp_tls, cfg.timezone) == (20, 2525, "ssl", "America/Chicago")
    assert cfg.public_url == "https://academy.example.org" and cfg.xapi_actor == "email"


# Settings check DATABASE_URL without importing SQLAlchemy (start-up); both sides of each pair
# must agree with SQLAlchemy's make_url, accepted and refused alike.
URLS = ["sqlite:///data/fipp.db", "sqlite:////abs/fipp.db", "sqlite://", "sqlite+pysqlite:///:memory:",
        "postgresql+psycopg://app:s3cret@db.example.org:5432/fipp?sslmode=require",
        "postgresql://[::1]:5432/fipp", "postgresql://app@/fipp?host=/run/postgresql", "mysql://u:p@h/db",
        "not a url", "::", "", "postgresql://h:notaport/db", "postgresql://h:/db", "://host/db",
        "postgres ql://host/db", "http//host", "sqlite:/data.db", "postgresql://u:p@h:54 32/db"]


@pytest.mark.parametrize("url", URLS)
def test_a_database_url_is_accepted_exactly_when_sqlalchemy_accepts_it(url):
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
        expected = True
    except (ArgumentError, ValueError):
        expected = False
    assert settings_module._is_database_url(url) is expected


def test_the_url_table_has_both_kinds():  # control: the agreement test above sees both answers
    assert {settings_module._is_database_url(u) for u in URLS} == {True, False}


def test_every_bad_variable_is_named_in_one_line(monkeypatch):
    monkeypatch.setenv("FIPP_LOCKOUT_MINUTES", "soon")
    monkeypatch.setenv("FIPP_TIMEZONE", "Nowhere")
    message = str(pytest.raises(SettingsError, get_settings).value)
    assert "FIPP_LOCKOUT_MINUTES='soon'" in message and "FIPP_TIMEZONE='Nowhere'" in message and "\n" not in message


def test_a_secret_is_named_but_never_echoed(monkeypatch):
    monkeypatch.setenv("FIPP_TOTP_KEY", "hunter2-is-not-a-key")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app:s3cret@host:notaport/db")
    message = str(pytest.raises(SettingsError, get_settings).value)
    assert "FIPP_TOTP_KEY" in message and "DATABASE_URL" in message
    assert "hunter2" not in message and "s3cret" not in message


def test_an_smtp_host_without_a_sender_is_an_error(monkeypatch):
    monkeypatch.setenv("FIPP_SMTP_HOST", "smtp.example.org")
    with pytest.raises(SettingsError, match="FIPP_SMTP_FROM"):
        get_settings()
    monkeypatch.setenv("FIPP_SMTP_FROM", "academy@example.org")  # control: with a sender it is fine
    assert smtp_settings() is not None and smtp_settings().port == 587  # type: ignore[union-attr]


@pytest.mark.parametrize("sender", ["academy", "academy@localhost", "FIPP Academy <academy@pd.local>"])
def test_a_sender_that_is_not_an_email_address_is_an_error_with_the_reason(monkeypatch, sender):
    monkeypatch.setenv("FIPP_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("FIPP_SMTP_FROM", sender)
    with pytest.raises(SettingsError, match="FIPP_SMTP_FROM is not an email address: "):
        get_settings()
    monkeypatch.setenv("FIPP_SMTP_FROM", "FIPP Academy <academy@example.org>")  # a display name is fine
    assert smtp_settings().sender == "FIPP Academy <academy@example.org>"  # type: ignore[union-attr]


def test_no_settings_at_all_means_the_documented_defaults(monkeypatch):
    for name in Settings.variables():
        monkeypatch.delenv(name, raising=False)
    cfg = get_settings()
    assert (cfg.password_min_length, cfg.lockout_threshold, cfg.timezone, cfg.smtp_host) == \
        (15, 5, "America/New_York", None)
    assert cfg.database_url.get_secret_value().endswith("data/fipp.db")


def test_an_empty_variable_counts_as_unset(monkeypatch):
    monkeypatch.setenv("FIPP_PASSWORD_MIN_LENGTH", "")
    assert get_settings().password_min_length == 15


def test_the_hash_slots_come_from_the_setting(monkeypatch):
    monkeypatch.setenv("FIPP_HASH_SLOTS", "3")
    monkeypatch.setattr(passwords, "HASH_SLOTS", None)  # made at first use, from the setting
    assert passwords._slots()._initial_value == 3  # type: ignore[attr-defined]


def test_every_setting_has_a_description():
    assert len(Settings.variables()) >= 30
    assert [name for name, text in Settings.variables().items() if not text] == []


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "training", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**{k: v for k, v in os.environ.items() if k != "FIPP_EVIDENCE_KEY"}, **env})


def test_the_command_line_exits_2_naming_the_bad_variable():
    done = _cli("verify-records", FIPP_SMTP_TLS="tls")
    assert done.returncode == 2
    assert done.stderr.strip() == ("python -m training: Bad setting: FIPP_SMTP_TLS='tls': input should be "
                                   "'starttls', 'ssl' or 'none'.")
    assert done.stdout == ""


def test_the_command_line_runs_with_good_settings(tmp_path):
    # Control for the test above: the same kind of call, with a good value, gets past the check.
    done = _cli("evidence-key", "public", FIPP_SMTP_TLS="ssl", FIPP_EVIDENCE_KEY_FILE=str(tmp_path / "none.key"))
    assert done.returncode == 1 and "Bad setting" not in done.stderr and "no evidence key" in done.stderr


def test_the_app_shows_an_error_page_naming_the_bad_variable(monkeypatch):
    monkeypatch.setenv("FIPP_TIMEZONE", "Atlantis/Capital")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "FIPP Academy cannot start. Bad setting: FIPP_TIMEZONE='Atlantis/Capital': not a time zone name such as "
        "America/New_York. Fix the environment and restart the app (README.md, \"Configuration\", lists every "
        "variable)."]
