"""What every page shares: the engine, the catalog, settings and the signed-in principal.

Process-wide resources live in st.cache_resource and are never mutated. A database session
is opened per user action and never kept in st.session_state.

The data layer (db.engine and the services that use it) is imported inside the functions that
need it: a signed-out visitor's first page after a restart needs none of it, and SQLAlchemy,
SQLModel and the tables are about half a second of CPU (db/boot.py, benchmarks/bench_health.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from db.boot import admin_exists
from training.identity.principal import Principal
from training.identity.throttle import SignInThrottle
from training.settings import Settings, get_settings
from webserver.cookies import BROWSER_COOKIE, SESSION_COOKIE

if TYPE_CHECKING:
    from db.engine import Engine
    from training.content import Catalog

# AppTest cannot send cookies, so tests put the same values here; nothing a browser sends can
# write these keys (they are not widget keys), and the cookie always wins when there is one.
SESSION_TOKEN = "auth.token"
BROWSER_KEY = "auth.browser_key"
PRINCIPAL = "auth.principal"
MESSAGE = "auth.message"


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The engine, with the schema migrated to the latest version (once per process)."""
    from db.engine import database_url, get_engine, read_session  # the data layer, when first needed
    from db.migrate import prepare
    from training.evidence.seals import ensure_evidence_key

    eng = get_engine(database_url())
    prepare(eng)
    with read_session(eng) as s:  # first start makes the evidence key file (mode 0600); a lost one stops here
        ensure_evidence_key(s)
    return eng


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    """All training content, loaded and validated once per process; a module whose content this
    database has not seen before is stored as a new release (to diff for re-certification)."""
    # Imported here: the sign-in form needs no content, and YAML, pydantic models and the content
    # hashes are the first page's biggest cost after a restart (benchmarks/bench_health.py).
    from db.engine import write_session
    from training.administration.releases import sync_releases
    from training.content import load_catalog

    cat = load_catalog(get_settings().content_root)
    with write_session(engine()) as s:
        sync_releases(session=s, catalog=cat)
    return cat


@st.cache_resource(show_spinner=False)
def _set_up() -> dict[str, bool]:
    return {}


def needs_first_admin() -> bool:
    """True until the first administrator exists. Officers are never deleted, so once one exists
    the answer is kept for the process instead of counting officers on every page run. Only the
    router's choice of pages uses it: create_first_admin re-checks in its own transaction.

    After a restart a SQLite database already at the latest migration with an officer in it
    answers over sqlite3 (db/boot.py), so the sign-in form loads no SQLAlchemy; anything else
    takes the engine, which migrates first."""
    known = _set_up()
    if known.get("done"):
        return False
    if admin_exists(database_url()) and _evidence_key_loads():
        known["done"] = True
        return False
    from db.engine import read_session  # the data layer, when first needed
    from training.identity import setup

    with read_session(engine()) as s:
        needed = setup.needs_first_admin(session=s)
    if not needed:
        known["done"] = True
    return needed


def database_url() -> str:
    return get_settings().database_url.get_secret_value()


def _evidence_key_loads() -> bool:
    """The start check engine() makes too: without a readable evidence key, engine() decides
    (it makes one on a first start, and stops the app if the database holds sealed evidence)."""
    from training.evidence.keys import KeyUnavailable, load_keyring  # cryptography, not SQLAlchemy

    try:
        load_keyring()
    except KeyUnavailable:
        return False
    return True


def settings() -> Settings:
    """The settings, checked when the app started (streamlit_app.py); cached by training.settings."""
    return get_settings()


def _cookie_or_seed(cookie: str, key: str) -> str | None:
    for value in (st.context.cookies.get(cookie), st.session_state.get(key)):
        if isinstance(value, str) and value:
            return value[:100]
    return None


@st.cache_resource(show_spinner=False)
def signin_throttle() -> SignInThrottle:
    """Process-wide sign-in counters per network address and per typed login."""
    cfg = settings()
    return SignInThrottle(per_address=cfg.signin_per_address, per_login=cfg.signin_per_login)


def session_token() -> str | None:
    """The session token from the HttpOnly cookie the browser sent when this tab connected."""
    return _cookie_or_seed(SESSION_COOKIE, SESSION_TOKEN)


def browser_key() -> str | None:
    """This browser's random key (webserver/middleware.py), which a sign-in hand-off is bound to."""
    return _cookie_or_seed(BROWSER_COOKIE, BROWSER_KEY)


def resolve_principal() -> Principal | None:
    """Who this browser's session belongs to, checked on the server now (idle, absolute, active)."""
    token = session_token()
    if not token:
        return None
    from db.engine import read_session, write_session  # the data layer, when first needed
    from training.identity.sessions import check_session

    with read_session(engine()) as s:  # most page runs need no write lock at all
        check = check_session(session=s, token=token, settings=settings(), write=False)
    if check.needs_write:
        with write_session(engine()) as s:
            check = check_session(session=s, token=token, settings=settings())
    if check.principal is None:
        st.session_state.pop(PRINCIPAL, None)
        st.session_state[MESSAGE] = check.message
    return check.principal


def acting_principal(expected: Principal) -> Principal | None:
    """For widget callbacks, which run before the router: re-check the session on the server and
    that it is still the same officer. None means: do not write; the rerun shows the sign-in form."""
    who = resolve_principal()
    if who is None or who.officer_id != expected.officer_id:
        return None
    return who


def principal() -> Principal:
    """The signed-in user, as the router checked them for this run."""
    who = st.session_state.get(PRINCIPAL)
    if not isinstance(who, Principal):
        st.error("Please sign in.")
        st.stop()
    return who


def require(*roles: str) -> Principal:
    """Every page re-checks the role, even though navigation only lists allowed pages."""
    who = principal()
    if who.role not in roles:
        st.error("You do not have access to this page.")
        st.stop()
    return who


ROLE_WORDS = {"trainee": "Trainee", "supervisor": "Supervisor", "admin": "Administrator"}


def role_word(role: str) -> str:
    """A role as people read it ("Administrator"), not as stored ("admin")."""
    return ROLE_WORDS.get(role, role)


def plain(text: object) -> str:
    """User-supplied text made safe for st.markdown: no HTML, no Markdown tricks."""
    s = str(text)
    for ch in "\\`*_{}[]()<>#+-.!|~$":
        s = s.replace(ch, "\\" + ch)
    return s
