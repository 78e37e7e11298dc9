"""What every page shares: the engine, the catalog, settings and the signed-in principal.

Process-wide resources live in st.cache_resource and are never mutated. A database session
is opened per user action and never kept in st.session_state.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from sqlalchemy import Engine

from db.engine import get_engine, write_session
from db.migrate import upgrade
from training.accounts import Principal
from training.administration.releases import sync_releases
from training.content import ROOT, Catalog, load_catalog
from training.settings import Settings, load_settings

SESSION_TOKEN = "auth.token"
PRINCIPAL = "auth.principal"


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The engine, with the schema migrated to the latest version (once per process)."""
    eng = get_engine(os.environ.get("DATABASE_URL") or None)
    upgrade(eng)
    return eng


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    """All training content, loaded and validated once per process; a module whose content this
    database has not seen before is stored as a new release (to diff for re-certification)."""
    cat = load_catalog(Path(os.environ.get("FIPP_CONTENT_ROOT") or ROOT))
    with write_session(engine()) as s:
        sync_releases(session=s, catalog=cat)
    return cat


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    return load_settings()


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


def plain(text: object) -> str:
    """User-supplied text made safe for st.markdown: no HTML, no Markdown tricks."""
    s = str(text)
    for ch in "\\`*_{}[]()<>#+-.!|~$":
        s = s.replace(ch, "\\" + ch)
    return s
