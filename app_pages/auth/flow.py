"""The sign-in flow's last steps, shared by the sign-in and setup pages (and any second factor).

A page that has checked everything about the person signing in calls finish_sign_in: it
mints a one-time hand-off bound to this browser and sends the browser to /session/start,
which sets the HttpOnly session cookie and redirects to the page that was asked for. A
second factor goes between the password check and finish_sign_in.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app_pages import common
from webserver.routes import END_PATH, START_PATH, safe_next

NEXT = "auth.next"  # the page a signed-out visitor asked for
REDIRECT = "auth.redirect"  # the last redirect sent (tests read it; AppTest has no browser)
# The second-factor step's keys live here, not in second_factor_ui, so that the sign-in form can
# ask whether the step is under way without importing the data layer that step needs.
CHALLENGE = "auth.challenge"  # the pending challenge's token; server-side, never a widget key
PASSED = "auth.challenge_passed"  # the officer id once the code was right, until "Continue"


def second_factor_pending() -> bool:
    """A password was right and the second-factor step is under way in this tab."""
    return CHALLENGE in st.session_state or PASSED in st.session_state


def redirect(url: str) -> None:
    """Send the browser to url: the same message st.login uses to go to an identity provider."""
    st.session_state[REDIRECT] = url
    ctx = get_script_run_ctx()
    if ctx is not None:
        msg = ForwardMsg()
        msg.auth_redirect.url = url
        ctx.enqueue(msg)


def requested_path(url_path: str) -> str:
    """The path and query of the page being shown, to come back to after signing in."""
    query = {k: v for k, v in st.query_params.to_dict().items() if k != "signin"}
    path = "/" + url_path if url_path else "/"
    return safe_next(path + ("?" + urlencode(query) if query else ""))


def finish_sign_in(officer_id: int, *, ask_second_factor: bool = True) -> bool:
    """Start the officer's session in this browser. False when the browser sent no key cookie,
    or when the second-factor step comes first (it then reruns into that step, which calls this
    again with ask_second_factor=False; single sign-on passes False too: the IdP does MFA)."""
    from app_pages.auth import second_factor_ui
    from db.engine import write_session  # the data layer, when first needed (common.py)
    from training.identity.sessions import start_handoff

    if ask_second_factor and second_factor_ui.begin_if_needed(officer_id):
        return False
    key = common.browser_key()
    if not key:
        st.error("This browser did not accept the sign-in cookie. Allow cookies for this site and reload.")
        return False
    with write_session(common.engine()) as s:
        handoff = start_handoff(session=s, officer_id=officer_id, browser_key=key)
    target = st.session_state.get(NEXT) or "/"
    redirect(f"{START_PATH}?{urlencode({'h': handoff, 'next': target})}")
    st.info("Signing in…")
    return True


def sign_out_everywhere() -> None:
    """End every session of this officer on the server, then let the route clear the cookie."""
    from db.engine import write_session  # the data layer, when first needed (common.py)
    from training.identity.sessions import sign_out

    with write_session(common.engine()) as s:
        sign_out(session=s, token=common.session_token())
    st.session_state.clear()
    redirect(END_PATH)
