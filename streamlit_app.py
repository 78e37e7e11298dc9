"""FIPP Academy: the router. Page config, the sign-in gate, and the pages each role has."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app_pages import common  # noqa: E402
from app_pages.registry import PUBLIC_PAGES, pages_for  # noqa: E402
from db.engine import read_session, write_session  # noqa: E402
from training.accounts import check_session, needs_first_admin  # noqa: E402

st.set_page_config(page_title="FIPP Academy", page_icon=":material/local_police:", layout="wide")


def signed_in_principal():  # type: ignore[no-untyped-def]
    token = st.session_state.get(common.SESSION_TOKEN)
    if not token:
        return None
    with read_session(common.engine()) as s:  # most page runs need no write lock at all
        check = check_session(session=s, token=token, settings=common.settings(), write=False)
    if check.needs_write:
        with write_session(common.engine()) as s:
            check = check_session(session=s, token=token, settings=common.settings())
    if check.principal is None:
        st.session_state.pop(common.SESSION_TOKEN, None)
        st.session_state.pop(common.PRINCIPAL, None)
        st.session_state["auth.message"] = check.message
    return check.principal


def main() -> None:
    with read_session(common.engine()) as s:
        first_run = needs_first_admin(session=s)
    if first_run:
        st.navigation([st.Page(str(ROOT / "app_pages/auth/setup.py"), title="Set up FIPP Academy",
                               url_path="setup")]).run()
        return
    who = signed_in_principal()
    if who is None:
        st.session_state.pop(common.PRINCIPAL, None)
        st.navigation([st.Page(str(ROOT / "app_pages/auth/login.py"), title="Sign in", url_path="sign-in"),
                       *(st.Page(str(ROOT / p.path), title=p.title, icon=p.icon, url_path=p.url_path)
                         for p in PUBLIC_PAGES)]).run()
        return
    st.session_state[common.PRINCIPAL] = who
    sections: dict[str, list[st.Page]] = {}
    for spec in pages_for(who.role):
        sections.setdefault(spec.section, []).append(
            st.Page(str(ROOT / spec.path), title=spec.title, icon=spec.icon, url_path=spec.url_path))
    with st.sidebar:
        st.caption("Signed in as")
        st.text(f"{who.name} ({who.role})")
    st.navigation(sections, expanded=True).run()


main()
