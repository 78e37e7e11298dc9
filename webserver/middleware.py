"""ASGI middleware: security headers on every response, and the per-browser key cookie.

Plain ASGI (not BaseHTTPMiddleware) so Streamlit's websocket passes through untouched.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import secrets
from base64 import b64encode
from functools import lru_cache
from http.cookies import SimpleCookie
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webserver.cookies import BROWSER_COOKIE, BROWSER_KEY_MAX_AGE


@lru_cache(maxsize=1)
def _inline_script_hashes() -> str:
    """CSP hashes of the inline scripts in Streamlit's own index.html (one line today)."""
    spec = importlib.util.find_spec("streamlit")  # read its files; this layer never imports it
    assert spec is not None and spec.origin is not None
    html = (Path(spec.origin).parent / "static" / "index.html").read_text(encoding="utf-8")
    bodies = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    return " ".join(f"'sha256-{b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in bodies)


def content_security_policy() -> str:
    """Framing refused outright; scripts, fonts, images and connections from this origin only.

    style-src needs 'unsafe-inline' (Streamlit's styling library writes <style> tags).
    script-src keeps 'unsafe-eval' until every page of Streamlit's bundle has been checked in a
    browser without it (its Vega charts already use the CSP-safe expression interpreter);
    dropping it is a one-word change here."""
    return ("default-src 'self'; "
            f"script-src 'self' {_inline_script_hashes()} 'unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            "connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def security_headers() -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", content_security_policy().encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]


ASSET_PREFIXES = ("/static/", "/_stcore/", "/media/", "/component/")


def _has_browser_key(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header just means: none
                return False
            if BROWSER_COOKIE in jar and len(jar[BROWSER_COOKIE].value) >= 32:
                return True
    return False


class SecurityMiddleware:
    """Adds the security headers to every HTTP response and gives each browser a random key cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        needs_key = not path.startswith(ASSET_PREFIXES) and not _has_browser_key(scope)
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in self.headers if k not in names]
                if needs_key:
                    cookie = (f"{BROWSER_COOKIE}={secrets.token_urlsafe(32)}; Path=/; HttpOnly; SameSite=Lax; "
                              f"Max-Age={BROWSER_KEY_MAX_AGE}" + ("; Secure" if secure else ""))
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
