"""The routes beside Streamlit: cookie attributes, cross-site refusals, redirects, security headers."""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from db.engine import write_session
from training.identity.sessions import start_handoff
from webserver.cookies import BROWSER_COOKIE, SESSION_COOKIE
from webserver.middleware import SecurityMiddleware
from webserver.routes import safe_next, session_routes

KEY = "k" * 43


def asgi_app() -> Starlette:
    page = Route("/module", lambda request: PlainTextResponse("page"))
    return Starlette(routes=[*session_routes(), page], middleware=[Middleware(SecurityMiddleware)])


def get(path: str, *, headers: dict[str, str] | None = None, scheme: str = "http"):  # type: ignore[no-untyped-def]
    """One GET through the ASGI app: (status, headers as a list of (name, value))."""
    path, _, query = path.partition("?")
    raw = [(k.lower().encode(), v.encode()) for k, v in {"host": "fipp.test", **(headers or {})}.items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": scheme,
             "path": path, "raw_path": path.encode(), "query_string": query.encode(), "headers": raw,
             "server": ("fipp.test", 443 if scheme == "https" else 80), "client": ("127.0.0.1", 5000), "root_path": ""}
    sent: list[dict] = []

    async def receive():  # type: ignore[no-untyped-def]
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message)

    asyncio.run(asgi_app()(scope, receive, send))
    start = sent[0]
    return start["status"], [(k.decode(), v.decode()) for k, v in start["headers"]]


def header(headers, name):  # type: ignore[no-untyped-def]
    return [v for k, v in headers if k == name]


@pytest.fixture
def handoff(engine, people, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with write_session(engine) as s:
        return start_handoff(session=s, officer_id=people["north_trainee"].officer_id, browser_key=KEY)


def start_url(handoff: str, next_path: str = "/module?module=m1") -> str:
    return "/session/start?" + urlencode({"h": handoff, "next": next_path})


def test_the_handoff_sets_an_httponly_lax_cookie_and_goes_to_the_page_asked_for(handoff):
    status, headers = get(start_url(handoff), headers={"cookie": f"{BROWSER_COOKIE}={KEY}",
                                                       "sec-fetch-site": "same-origin"})
    assert status == 303 and header(headers, "location") == ["/module?module=m1"]
    cookie = next(c for c in header(headers, "set-cookie") if c.startswith(SESSION_COOKIE))
    attrs = cookie.lower()
    assert "httponly" in attrs and "samesite=lax" in attrs and "path=/" in attrs and "secure" not in attrs
    assert len(SimpleCookie(cookie)[SESSION_COOKIE].value) >= 43


def test_over_https_the_cookie_is_secure(handoff):
    _, headers = get(start_url(handoff), headers={"cookie": f"{BROWSER_COOKIE}={KEY}"}, scheme="https")
    assert "secure" in next(c for c in header(headers, "set-cookie") if c.startswith(SESSION_COOKIE)).lower()


@pytest.mark.parametrize("extra", [{"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "none"},
                                   {"origin": "https://evil.example"}])
def test_a_handoff_started_from_elsewhere_is_refused(handoff, extra):
    status, headers = get(start_url(handoff), headers={"cookie": f"{BROWSER_COOKIE}={KEY}", **extra})
    assert status == 403 and not header(headers, "set-cookie")[1:]


def test_a_handoff_from_another_browser_sets_no_session_cookie(handoff):
    status, headers = get(start_url(handoff), headers={"cookie": f"{BROWSER_COOKIE}={'x' * 43}"})
    assert status == 303 and "signin=expired" in header(headers, "location")[0]
    assert not any(c.startswith(SESSION_COOKIE + "=") and "Max-Age=0" not in c for c in header(headers, "set-cookie"))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x",
                                    "/session/end", "/ok\r\nSet-Cookie: a=b"])
def test_the_page_to_return_to_must_be_a_path_on_this_site(target):
    assert safe_next(target) == "/"
    assert safe_next("/module?module=m1") == "/module?module=m1"  # positive control


def test_sign_out_clears_the_cookie(handoff):
    status, headers = get("/session/end", headers={"cookie": f"{SESSION_COOKIE}=whatever"})
    assert status == 303 and header(headers, "location") == ["/"]
    cleared = next(c for c in header(headers, "set-cookie") if c.startswith(SESSION_COOKIE))
    assert 'max-age=0' in cleared.lower() or "expires=thu, 01 jan 1970" in cleared.lower()


def test_every_response_forbids_framing_and_sniffing():
    _, headers = get("/module")
    assert "frame-ancestors 'none'" in header(headers, "content-security-policy")[0]
    assert header(headers, "x-frame-options") == ["DENY"]
    assert header(headers, "x-content-type-options") == ["nosniff"]
    assert header(headers, "referrer-policy") == ["same-origin"]
    assert any(c.startswith(BROWSER_COOKIE + "=") and "HttpOnly" in c for c in header(headers, "set-cookie"))
