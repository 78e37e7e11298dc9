"""Cookie names and attributes shared by the routes, the middleware and the router."""

from __future__ import annotations

SESSION_COOKIE = "fipp_session"  # the session token; HttpOnly, the database keeps its SHA-256
BROWSER_COOKIE = "fipp_browser"  # a random key per browser that sign-in hand-offs are bound to
BROWSER_KEY_MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers accept


def cookie_attributes(*, secure: bool) -> dict[str, object]:
    """HttpOnly (no script can read it), SameSite=Lax (not sent on cross-site POSTs or subrequests),
    Path=/, Secure whenever the app is served over HTTPS."""
    return {"httponly": True, "samesite": "lax", "path": "/", "secure": secure}
