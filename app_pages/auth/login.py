"""Sign in with an email or badge number and a password.

The data layer is imported only where the form is submitted: a signed-out visitor's first page
after a restart then loads no SQLAlchemy, SQLModel or tables (app_pages/common.py, db/boot.py).
"""

import threading

import streamlit as st

from app_pages import common
from app_pages.auth import sso
from app_pages.auth.flow import finish_sign_in, second_factor_pending
from training.identity.throttle import TOO_MANY
from training.mail import smtp_settings

FORGOT_ANSWER = ("If an active account uses that email, a link to set a new password is on its way. "
                 "It works once, for 24 hours.")

st.title("FIPP Academy")
st.write("Training on Vermont's model Fair and Impartial Policing Policy.")
message = st.session_state.pop(common.MESSAGE, None)
if st.query_params.get("signin") == "expired":
    message = "That sign-in did not complete. Please sign in again."
if message:
    st.info(message)
if second_factor_pending():  # the password was right; a code (or enrolment) comes before the session
    from app_pages.auth import second_factor_ui  # the data layer, only for this step (see above)

    second_factor_ui.challenge_step()
    st.stop()
sso.consume_identity()  # back from the agency's identity provider: sign the mapped officer in
with st.form("login.form"):
    login = st.text_input("Email or badge number", key="login.user", max_chars=254)
    password = st.text_input("Password", type="password", key="login.password", max_chars=256)
    submitted = st.form_submit_button("Sign in", type="primary")
if submitted and not common.signin_throttle().allow(address=st.context.ip_address, login=login):
    st.error(TOO_MANY)
elif submitted:
    from db.engine import read_session, write_session  # the data layer, on submit only (see above)
    from training.identity.signin import check_credentials, record_sign_in

    # argon2 runs in a read session; only the quick bookkeeping takes the write lock.
    with read_session(common.engine()) as s:
        check = check_credentials(session=s, login=login, password=password)
    with write_session(common.engine()) as s:
        result = record_sign_in(session=s, check=check, settings=common.settings(), open_now=False)
    if result.ok and result.principal is not None:
        # A second factor, when the account has one, is checked here before the session starts.
        finish_sign_in(result.principal.officer_id)
    else:
        st.error(result.message)
sso.buttons()

with st.expander("Forgot your password?"):
    if smtp_settings() is None:
        st.write("Ask your supervisor or an administrator for a one-time link to set a new password.")
    else:
        with st.form("login.forgot", clear_on_submit=True):
            email = st.text_input("Your email", key="login.forgot.email", max_chars=254)
            asked = st.form_submit_button("Email me a link")
            if asked and not common.signin_throttle().allow(address=st.context.ip_address, login="forgot:" + email):
                st.error(TOO_MANY)
            elif asked:
                from db.engine import write_session  # the data layer, on submit only (see above)
                from training.identity.links import email_link, request_reset

                with write_session(common.engine()) as s:
                    found = request_reset(session=s, email=email)
                if found is not None:  # sent in the background: the answer takes the same time either way
                    threading.Thread(target=email_link, daemon=True, kwargs={
                        "smtp": smtp_settings(), "to": found[0], "token": found[1], "purpose": "reset"}).start()
                st.info(FORGOT_ANSWER)
