"""The second factor on screen: the sign-in code step, enrolment (QR code and secret), recovery codes.

Not a page itself: while a challenge is pending the sign-in page shows challenge_step() (a
supervisor or administrator with no authenticator enrols there, before any session exists),
and the Account page shows account_section().
"""

from __future__ import annotations

import streamlit as st

from app_pages import common
from app_pages.auth.flow import CHALLENGE, PASSED, finish_sign_in
from db.engine import read_session, write_session
from db.models import Officer
from training.identity.challenge import (
    EXPIRED,
    answer_challenge,
    begin_challenge,
    enrolment_for_challenge,
    read_challenge,
)
from training.identity.principal import Principal
from training.identity.second_factor import (
    Enrolment,
    SecondFactorSettings,
    confirm_enrolment,
    is_enrolled,
    load_second_factor_settings,
    new_recovery_codes,
    recovery_codes_left,
    second_factor_step,
    start_enrolment,
)

CODES = "auth.recovery_codes"  # the new recovery codes, shown once, until "Continue"
CODE_LIMIT = 40


@st.cache_resource(show_spinner=False)
def mfa_settings() -> SecondFactorSettings:
    return load_second_factor_settings()


def show_enrolment(enrolment: Enrolment) -> None:
    st.write("1. Install an authenticator app on your phone (for example Microsoft Authenticator, "
             "Google Authenticator or FreeOTP).")
    st.write("2. In the app, add an account and scan this QR code:")
    import segno  # only enrolment draws a QR code: not imported for every sign-in form

    st.image(segno.make(enrolment.uri, error="m").svg_inline(scale=5), width=200,
             alt="QR code for your authenticator app; the same key is shown as text below")
    st.write("Or type this key into the app instead (time-based, 6 digits):")
    st.code(" ".join(enrolment.secret[i:i + 4] for i in range(0, len(enrolment.secret), 4)), language=None)
    st.write("3. Enter the 6-digit code the app shows now.")


def show_recovery_codes(codes: list[str]) -> None:
    st.success("Your authenticator app is set up.")
    st.warning("Save these recovery codes somewhere safe, away from your phone. Each works once if you "
               "lose your phone. They are shown only now.")
    st.code("\n".join(codes), language=None)
    st.download_button("Download the codes", "\n".join(codes) + "\n", file_name="fipp-recovery-codes.txt",
                       key="mfa.codes.download")


def begin_if_needed(officer_id: int) -> bool:
    """After a correct password: start the code (or enrolment) step when this officer needs one.
    Returns False when no second factor is due; otherwise reruns into challenge_step()."""
    with write_session(common.engine()) as s:
        officer = s.get(Officer, officer_id)
        if officer is None or second_factor_step(session=s, officer=officer) is None:
            return False
        st.session_state[CHALLENGE] = begin_challenge(session=s, officer_id=officer_id, settings=mfa_settings())
    st.session_state.pop(PASSED, None)
    st.rerun()


def _finish(officer_id: int) -> None:
    st.session_state.pop(CHALLENGE, None)
    st.session_state.pop(PASSED, None)
    finish_sign_in(officer_id, ask_second_factor=False)


def challenge_step() -> None:
    """Between a correct password and the session: ask for a code, or enrol first."""
    passed = st.session_state.get(PASSED)
    if passed is not None:  # enrolled just now: the recovery codes alone, not under the spent QR code and form
        codes = st.session_state.get(CODES)
        if codes:
            show_recovery_codes(codes)
        if st.button("I have saved my recovery codes: continue", type="primary", key="mfa.continue"):
            st.session_state.pop(CODES, None)
            _finish(passed)
        return
    token, cfg = st.session_state.get(CHALLENGE), mfa_settings()
    with write_session(common.engine()) as s:
        challenge = read_challenge(session=s, token=token)
        enrolment = enrolment_for_challenge(session=s, token=token, settings=cfg) \
            if challenge is not None and challenge.step == "enrol" else None
    if challenge is None:
        st.session_state.pop(CHALLENGE, None)
        st.session_state[common.MESSAGE] = EXPIRED
        st.rerun()
    if enrolment is not None:
        st.subheader("Set up your authenticator app")
        st.write("Supervisors and administrators sign in with a password and a code from an authenticator app.")
        show_enrolment(enrolment)
    else:
        st.subheader("Enter your code")
    with st.form("mfa.form"):
        label = "6-digit code" if enrolment is not None else "6-digit code from your app, or a recovery code"
        code = st.text_input(label, key="mfa.code", max_chars=CODE_LIMIT, autocomplete="one-time-code")
        submitted = st.form_submit_button("Verify", type="primary")
    if st.button("Cancel and sign in again", key="mfa.cancel"):
        st.session_state.pop(CHALLENGE, None)
        st.rerun()
    if submitted:
        with write_session(common.engine()) as s:
            answer = answer_challenge(session=s, token=token, code=code, settings=cfg)
        if not answer.ok or answer.officer_id is None:
            st.error(answer.message)
        elif answer.recovery_codes:
            st.session_state[PASSED] = answer.officer_id
            st.session_state[CODES] = answer.recovery_codes  # this tab's server-side state, until "continue"
            st.rerun()
        else:
            if answer.message != "Code accepted.":
                st.session_state[common.MESSAGE] = answer.message
            _finish(answer.officer_id)


def _enrol_form(who: Principal, cfg: SecondFactorSettings, prefix: str) -> bool:
    """QR code, secret and a code box; True (with the recovery codes shown) once confirmed."""
    with write_session(common.engine()) as s:
        enrolment = start_enrolment(session=s, officer_id=who.officer_id, settings=cfg)
    show_enrolment(enrolment)
    with st.form(f"{prefix}.form"):
        code = st.text_input("6-digit code", key=f"{prefix}.code", max_chars=CODE_LIMIT, autocomplete="one-time-code")
        submitted = st.form_submit_button("Verify", type="primary")
    if not submitted:
        return False
    with write_session(common.engine()) as s:
        check, codes = confirm_enrolment(session=s, officer_id=who.officer_id, code=code, settings=cfg)
    if not check.ok:
        st.error(check.message)
        return False
    show_recovery_codes(codes)
    return True


def account_section(who: Principal) -> None:
    """Account page: the officer's own authenticator and recovery codes."""
    st.subheader("Authenticator app")
    cfg = mfa_settings()
    with read_session(common.engine()) as s:
        enrolled = is_enrolled(session=s, officer_id=who.officer_id)
        left = recovery_codes_left(session=s, officer_id=who.officer_id) if enrolled else 0
    if enrolled:
        st.text(f"Set up. Recovery codes left: {left}.")
        with st.form("account.mfa.codes"):
            code = st.text_input("6-digit code from your app", key="account.mfa.code", max_chars=CODE_LIMIT)
            renew = st.form_submit_button("Make new recovery codes (the old ones stop working)")
        if renew:
            with write_session(common.engine()) as s:
                check, codes = new_recovery_codes(session=s, officer_id=who.officer_id, code=code, settings=cfg)
            if check.ok:
                show_recovery_codes(codes)
            else:
                st.error(check.message)
        st.caption("Lost your phone? Sign in with a recovery code, or ask an administrator to reset your "
                   "second factor.")
        return
    st.write("Add a code from an authenticator app to your sign-in, so a stolen password alone is not enough.")
    if st.button("Set up an authenticator app", key="account.mfa.start") or st.session_state.get("account.mfa.on"):
        st.session_state["account.mfa.on"] = True
        if _enrol_form(who, cfg, "account.mfa.enrol"):
            st.session_state.pop("account.mfa.on", None)
