"""Sign in with an email or badge number and a password."""

import streamlit as st

from app_pages import common
from db.engine import read_session, write_session
from training.accounts import check_credentials, record_sign_in

st.title("FIPP Academy")
st.write("Training on Vermont's model Fair and Impartial Policing Policy.")
message = st.session_state.pop("auth.message", None)
if message:
    st.info(message)
with st.form("login.form"):
    login = st.text_input("Email or badge number", key="login.user")
    password = st.text_input("Password", type="password", key="login.password")
    submitted = st.form_submit_button("Sign in", type="primary")
if submitted:
    # argon2 runs in a read session; only the quick bookkeeping takes the write lock.
    with read_session(common.engine()) as s:
        check = check_credentials(session=s, login=login, password=password)
    with write_session(common.engine()) as s:
        result = record_sign_in(session=s, check=check, settings=common.settings())
    if result.ok:
        st.session_state[common.SESSION_TOKEN] = result.token
        st.rerun()
    st.error(result.message)
