"""FIPP Academy: the router. Page config, the sign-in gate, and the pages each role has.

`streamlit run streamlit_app.py` imports this file to find `app` (an st.App: Streamlit plus
the session-cookie routes and security headers, webserver/), then runs it as the page
script for every browser tab (`__name__ == "__main__"`), where main() routes.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

# The project is installed (`pip install -e .`), so its packages import wherever this runs from.
from app_pages import common
from app_pages.auth.flow import NEXT, requested_path
from app_pages.registry import HOME, PAGES, PUBLIC_PAGES, pages_for
from training.identity.principal import Principal
from training.settings import SettingsError, get_settings

ROOT = Path(__file__).resolve().parent


def SET_PASSWORD() -> st.Page:  # noqa: N802 - a page, named like the others
    return st.Page(str(ROOT / "app_pages/auth/set_password.py"), title="Set your password", url_path="set-password",
                   visibility="hidden")


def _signed_out() -> None:
    """The sign-in form at every page address, so a deep link never meets "Page not found";
    after signing in the officer lands on the address they asked for."""
    login = str(ROOT / "app_pages/auth/login.py")
    pages = [st.Page(login, title="Sign in", url_path="sign-in", default=True), SET_PASSWORD()]
    # Public pages (the certificate check) open as themselves; every other address shows the sign-in form.
    pages += [st.Page(str(ROOT / spec.path), title=spec.title, icon=spec.icon, url_path=spec.url_path)
              if spec in PUBLIC_PAGES else st.Page(login, title="Sign in", url_path=spec.url_path) for spec in PAGES]
    page = st.navigation(pages, position="hidden")
    if page.url_path not in ("sign-in", "set-password"):
        st.session_state[NEXT] = requested_path(page.url_path)
    page.run()


def _no_access() -> None:
    st.error("You do not have access to this page.")


def _signed_in(who: Principal) -> None:
    sections: dict[str, list[st.Page]] = {}
    allowed = pages_for(who.role)
    for spec in allowed:
        sections.setdefault(spec.section, []).append(
            st.Page(str(ROOT / spec.path), title=spec.title, icon=spec.icon, url_path=spec.url_path))
    # Addresses this role has no page for (a link from someone else) answer plainly instead of
    # with a "Page not found" popup. The root address, sign-in and setup go to the role's home
    # page (registry.HOME) by a switch, so the home page keeps its own address for bookmarks.
    landing = HOME.get(who.role, allowed[0].url_path)
    home = next(p for ps in sections.values() for p in ps if p.url_path == landing)
    hidden = [st.Page(_no_access, title="No access", url_path=spec.url_path, visibility="hidden")
              for spec in PAGES if spec not in allowed]
    hidden += [st.Page(lambda: st.switch_page(home), title="Signed in", url_path=path, visibility="hidden")
               for path in ("sign-in", "setup")] + [SET_PASSWORD()]
    hidden.append(st.Page(lambda: st.switch_page(home), title="FIPP Academy", url_path="home", default=True,
                          visibility="hidden"))
    sections.setdefault("Account", []).extend(hidden)
    with st.sidebar:
        st.caption("Signed in as")
        st.text(f"{who.name} ({common.role_word(who.role)})")
    st.navigation(sections, expanded=True).run()


def main() -> None:
    # No page_icon: the page then asks for /favicon.png, which webserver/routes.py answers with
    # assets/icon.png. Any page_icon but an emoji makes Streamlit import numpy and Pillow (0.1 s of
    # every process's first page, benchmarks/bench_health.py), even a data: URL.
    st.set_page_config(page_title="FIPP Academy", layout="wide")
    try:
        get_settings()  # a bad setting stops here, named, instead of running on a fallback
    except SettingsError as exc:
        st.error(f"FIPP Academy cannot start. {exc} Fix the environment and restart the app "
                 "(README.md, \"Configuration\", lists every variable).")
        return
    if common.needs_first_admin():
        st.navigation([st.Page(str(ROOT / "app_pages/auth/setup.py"), title="Set up FIPP Academy",
                               url_path="setup")]).run()
        return
    who = common.resolve_principal()
    if who is None:
        st.session_state.pop(common.PRINCIPAL, None)
        _signed_out()
        return
    st.session_state[common.PRINCIPAL] = who
    _signed_in(who)


if __name__ == "__main__":
    main()
else:  # imported by `streamlit run` to serve the app
    from starlette.middleware import Middleware

    from webserver.middleware import SecurityMiddleware
    from webserver.routes import icon_route, session_routes

    app = st.App("streamlit_app.py", routes=[*session_routes(), icon_route()],
                 middleware=[Middleware(SecurityMiddleware)])

    from training.heap import freeze_startup_objects

    freeze_startup_objects()  # a long-lived server: start-up objects out of each full collection (training/heap.py)
