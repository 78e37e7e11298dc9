"""First start: create the first administrator. There are no default accounts."""

import streamlit as st

from app_pages import common
from app_pages.auth.flow import finish_sign_in
from db.engine import write_session
from training.errors import TrainingError
from training.identity.setup import create_first_admin

st.title("Set up FIPP Academy")
st.write("No accounts exist yet. Create the first administrator account. "
         "There are no default accounts or passwords.")
cfg = common.settings()
with st.form("setup.form"):
    name = st.text_input("Full name", key="setup.name")
    email = st.text_input("Email", key="setup.email")
    badge = st.text_input("Badge or employee number", key="setup.badge")
    password = st.text_input(f"Password (at least {cfg.password_min_length} characters)", type="password",
                             key="setup.password")
    confirm = st.text_input("Password again", type="password", key="setup.confirm")
    submitted = st.form_submit_button("Create administrator", type="primary")
if submitted:
    if password != confirm:
        st.error("The two passwords differ.")
    else:
        try:
            with write_session(common.engine()) as s:
                admin = create_first_admin(session=s, name=name, email=email, badge_number=badge,
                                           password=password, settings=cfg)
            finish_sign_in(admin.officer_id)
        except TrainingError as exc:
            st.error(str(exc))
