"""The two routes beside Streamlit that touch the session cookie.

GET /session/start?h=HANDOFF&next=/path  exchanges a one-time hand-off (minted by the
    sign-in page after every check passed) for the HttpOnly session cookie, then redirects to
    the page the officer asked for.
GET /session/end  ends every session of the cookie's officer, clears the cookie, redirects home.

These routes get none of Streamlit's own XSRF checks, so they make their own: a request
another site started (Sec-Fetch-Site: cross-site, or an Origin that is not this host) is
refused; the hand-off is single use, expires in 60 s and only works in the browser whose
key cookie it was bound to (so nobody can plant their own session in someone else's
browser); query strings are bounded; the redirect target must be a path on this site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from training.settings import get_settings
from webserver.cookies import BROWSER_COOKIE, SESSION_COOKIE, cookie_attributes

if TYPE_CHECKING:
    from sqlalchemy import Engine

ICON_PATH = "/favicon.png"
ICON = (Path(__file__).resolve().parents[1] / "assets" / "icon.png").read_bytes()
START_PATH = "/session/start"
END_PATH = "/session/end"
MAX_QUERY = 4096
_SAFE_NEXT = re.compile(r"^/[A-Za-z0-9\-._~/?=&%+,:@]*$")


def safe_next(raw: str | None) -> str:
    """A same-site path to go to after signing in; anything else becomes the home page."""
    if not raw or len(raw) > 2048 or not _SAFE_NEXT.match(raw) or raw.startswith("//") or "/session/" in raw:
        return "/"
    return raw


def _cross_site(request: Request) -> bool:
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        return urlsplit(origin).netloc != host
    return False


# The data layer is imported when a route is first used, not when `streamlit run` imports the app:
# SQLAlchemy and the tables are half a second the signed-out first page does without (db/boot.py).


def _engine() -> Engine:
    from db.engine import database_url, get_engine

    return get_engine(database_url())  # the same cached engine the pages use


def _redeem(handoff: str, browser_key: str) -> str | None:
    from db.engine import write_session
    from training.identity.sessions import redeem_handoff

    with write_session(_engine()) as s:
        return redeem_handoff(session=s, handoff=handoff, browser_key=browser_key)


def _end(token: str) -> None:
    from db.engine import write_session
    from training.identity.sessions import sign_out

    with write_session(_engine()) as s:
        sign_out(session=s, token=token)


async def start_session(request: Request) -> Response:
    if len(request.url.query) > MAX_QUERY:
        return PlainTextResponse("Request too large.", status_code=414)
    if _cross_site(request) or request.headers.get("sec-fetch-site") == "none":
        # "none": typed or bookmarked; a hand-off only ever arrives by the sign-in page's own redirect.
        return PlainTextResponse("Sign-in links cannot be opened from elsewhere.", status_code=403)
    target = safe_next(request.query_params.get("next"))
    token = await run_in_threadpool(_redeem, request.query_params.get("h", "")[:100],
                                    request.cookies.get(BROWSER_COOKIE, "")[:100])
    if token is None:
        sep = "&" if "?" in target else "?"
        return RedirectResponse(f"{target}{sep}signin=expired", status_code=303)
    response = RedirectResponse(target, status_code=303)
    # Max-Age = the absolute limit, so a bookmark opened after a browser restart still works within it;
    # the server enforces both limits whatever the browser keeps.
    max_age = get_settings().absolute_timeout_hours * 3600
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age,
                        **cookie_attributes(secure=request.url.scheme == "https"))  # type: ignore[arg-type]
    response.headers["cache-control"] = "no-store"
    return response


async def end_session(request: Request) -> Response:
    if len(request.url.query) > MAX_QUERY:
        return PlainTextResponse("Request too large.", status_code=414)
    if _cross_site(request):
        return PlainTextResponse("Sign-out cannot be started from another site.", status_code=403)
    token = request.cookies.get(SESSION_COOKIE, "")[:100]
    if token:
        await run_in_threadpool(_end, token)
    response = RedirectResponse("/", status_code=303)
    attrs = cookie_attributes(secure=request.url.scheme == "https")
    response.delete_cookie(SESSION_COOKIE, path="/", secure=bool(attrs["secure"]), httponly=True, samesite="lax")
    response.headers["cache-control"] = "no-store"
    return response


async def page_icon(_request: Request) -> Response:
    """The app's own icon (assets/icon.png) at the address Streamlit's page asks for when
    st.set_page_config names no icon. Given as page_icon, even as a data: URL, Streamlit 1.67's
    image_to_url imports numpy and Pillow first: a tenth of a second of every process's first
    page (benchmarks/bench_health.py). This route comes before Streamlit's own static files."""
    return Response(ICON, media_type="image/png", headers={"cache-control": "public, max-age=3600"})


def icon_route() -> BaseRoute:
    return Route(ICON_PATH, page_icon, methods=["GET", "HEAD"])


def session_routes() -> list[BaseRoute]:
    return [Route(START_PATH, start_session, methods=["GET"]), Route(END_PATH, end_session, methods=["GET"])]
