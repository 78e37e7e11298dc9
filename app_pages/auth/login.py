"""Sign in with an email or badge number and a password."""

import streamlit as st

from app_pages import common
from app_pages.auth import second_factor_ui, sso
from app_pages.auth.flow import finish_sign_in
from db.engine import read_session, write_session
from training.accounts import check_credentials, record_sign_in

st.title("FIPP Academy")
st.write("Training on Vermont's model Fair and Impartial Policing Policy.")
message = st.session_state.pop(common.MESSAGE, None)
if st.query_params.get("signin") == "expired":
    message = "That sign-in did not complete. Please sign in again."
if message:
    st.info(message)
if second_factor_ui.pending():  # the password was right; a code (or enrolment) comes before the session
    second_factor_ui.challenge_step()
    st.stop()
sso.consume_identity()  # back from the agency's identity provider: sign the mapped officer in
with st.form("login.form"):
    login = st.text_input("Email or badge number", key="login.user", max_chars=254)
    password = st.text_input("Password", type="password", key="login.password", max_chars=256)
    submitted = st.form_submit_button("Sign in", type="primary")
if submitted:
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
