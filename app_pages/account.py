"""Account: change your own password, sign out."""

import streamlit as st

from app_pages import common
from app_pages.auth import second_factor_ui
from db.engine import write_session
from training.accounts import set_password, sign_out
from training.errors import TrainingError

who = common.require("trainee", "supervisor", "admin")
st.title("Account")
st.text(f"{who.name} · {who.role}")
cfg = common.settings()
with st.form("account.password"):
    new = st.text_input(f"New password (at least {cfg.password_min_length} characters)", type="password",
                        key="account.new")
    again = st.text_input("New password again", type="password", key="account.again")
    if st.form_submit_button("Change password"):
        if new != again:
            st.error("The two passwords differ.")
        else:
            try:
                with write_session(common.engine()) as s:
                    set_password(session=s, actor=who, officer_id=who.officer_id, password=new, settings=cfg)
                st.session_state.pop(common.SESSION_TOKEN, None)
                st.session_state["auth.message"] = "Password changed. Please sign in with the new password."
                st.rerun()
            except TrainingError as exc:
                st.error(str(exc))
if st.button("Sign out", key="account.signout", type="primary"):
    with write_session(common.engine()) as s:
        sign_out(session=s, token=st.session_state.get(common.SESSION_TOKEN))
    st.session_state.clear()
    st.rerun()
second_factor_ui.account_section(who)
