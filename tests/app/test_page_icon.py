"""Finding 13: the page icon is shipped with the app, not fetched from the internet.

A Material icon as page_icon makes every page ask fonts.gstatic.com for the favicon (an error
in every console on an offline or restricted network); before the fix this test failed. The
icon is now served at /favicon.png (webserver/routes.py), the address Streamlit's page asks for
when set_page_config names no icon; tests/e2e/test_sessions_journey.py checks it in a browser."""

import ast
import asyncio

from tests.conftest import ROOT
from webserver.routes import ICON_PATH, icon_route


def test_set_page_config_names_no_icon_so_the_page_asks_this_server():
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "set_page_config"]
    assert len(calls) == 1 and "page_icon" not in {k.arg for k in calls[0].keywords}


def test_the_icon_route_serves_the_shipped_png():
    sent: list[dict] = []

    async def receive():  # type: ignore[no-untyped-def]
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": ICON_PATH, "headers": [], "query_string": b""}
    asyncio.run(icon_route().handle(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 200 and (b"content-type", b"image/png") in sent[0]["headers"]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert body == (ROOT / "assets" / "icon.png").read_bytes() and body.startswith(b"\x89PNG")
