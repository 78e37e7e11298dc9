"""Account: change your own password, sign out everywhere."""

import streamlit as st

from app_pages import common
from app_pages.auth import second_factor_ui
from app_pages.auth.flow import sign_out_everywhere
from db.engine import write_session
from training.errors import TrainingError
from training.identity.officers import change_own_password

who = common.require("trainee", "supervisor", "admin")
st.title("Account")
st.text(f"{who.name} · {who.role}")
cfg = common.settings()
with st.form("account.password"):
    current = st.text_input("Current password", type="password", key="account.current", max_chars=256)
    new = st.text_input(f"New password (at least {cfg.password_min_length} characters)", type="password",
                        key="account.new", max_chars=256)
    again = st.text_input("New password again", type="password", key="account.again", max_chars=256)
    if st.form_submit_button("Change password"):
        if new != again:
            st.error("The two passwords differ.")
        else:
            try:
                with write_session(common.engine()) as s:
                    change_own_password(session=s, actor=who, current=current, new=new, settings=cfg)
                sign_out_everywhere()  # the change already ended every session; this clears the cookie
                st.success("Password changed. Please sign in with the new password.")
            except TrainingError as exc:
                st.error(str(exc))
st.caption("Signing out ends your sessions on every device.")
if st.button("Sign out", key="account.signout", type="primary"):
    sign_out_everywhere()
second_factor_ui.account_section(who)
