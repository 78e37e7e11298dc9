"""Single sign-on on the sign-in page: the agency's button(s), and turning st.user into a session.

st.login sends the browser to the identity provider configured in .streamlit/secrets.toml
([auth], Streamlit's format); on return Streamlit keeps the provider's claims in its own
signed cookie and shows them as st.user. That cookie is not our session: here the claims
are mapped to an officer (training/identity/oidc.py) and, when they map, the officer gets the
same server-side session as a password sign-in. Not a page itself.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from app_pages import common


def providers() -> list[str]:
    """The configured providers: "default" for a flat [auth] section, else each [auth.<name>]."""
    try:
        auth = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - no secrets file, or an unreadable one, means no single sign-on
        return []
    if not isinstance(auth, Mapping) or "redirect_uri" not in auth or "cookie_secret" not in auth:
        return []
    named = [str(name) for name, value in auth.items() if isinstance(value, Mapping) and "client_id" in value]
    return named or (["default"] if "client_id" in auth else [])


def _claims() -> dict[str, object] | None:
    try:
        user = st.user
        if not user.get("is_logged_in"):
            return None
        return {k: user[k] for k in user if k != "tokens"}
    except Exception:  # noqa: BLE001 - st.user without [auth] configured
        return None


def consume_identity() -> None:
    """If the browser just came back from the identity provider, sign the mapped officer in."""
    claims = _claims() if providers() else None
    if claims is None:
        return
    from training.identity.oidc import map_identity_once  # the data layer, when first needed (common.py)

    outcome = map_identity_once(engine=common.engine(), claims=claims,
                                provider=str(claims.get("provider") or "default"))
    if outcome is None:  # another tab acted on the same sign-in at the same moment
        return
    if outcome.officer_id is not None:
        from app_pages.auth.flow import finish_sign_in

        finish_sign_in(outcome.officer_id, ask_second_factor=False)  # the IdP does MFA (README)
        st.stop()
    if outcome.message:
        st.error(outcome.message)


def buttons() -> None:
    """One button per configured identity provider (nothing when none is configured)."""
    names = providers()
    if not names:
        return
    st.divider()
    for name in names:
        label = "Sign in with your agency account" if name == "default" or len(names) == 1 else f"Sign in with {name}"
        st.button(label, key=f"login.sso.{name}", on_click=st.login, args=(name,))
    if _claims() is not None:
        st.button("Use a different agency account", key="login.sso.logout", on_click=st.logout)
