"""Set a password from a one-time link (first password after import, or recovery)."""

import streamlit as st

from app_pages import common
from app_pages.auth.flow import redirect
from db.engine import read_session, write_session
from training.errors import TrainingError
from training.identity.links import INVALID, link_target, use_link

st.title("Set your password")
token = str(st.query_params.get("token", ""))[:100]
with read_session(common.engine()) as s:
    target = link_target(session=s, token=token)
if target is None:
    st.error(INVALID + " Ask your supervisor or administrator for a new one.")
    st.stop()
cfg = common.settings()
st.write("This link works once and sets the password for:")
st.text(target.name)
with st.form("setpw.form"):
    new = st.text_input(f"New password (at least {cfg.password_min_length} characters)", type="password",
                        key="setpw.new", max_chars=256)
    again = st.text_input("New password again", type="password", key="setpw.again", max_chars=256)
    submitted = st.form_submit_button("Set password", type="primary")
if submitted:
    if new != again:
        st.error("The two passwords differ.")
    else:
        try:
            with write_session(common.engine()) as s:
                use_link(session=s, token=token, password=new, settings=cfg)
            st.success("Password set. Sign in with it now.")
            redirect("/session/end")  # any session in this browser belonged to before; start clean
        except TrainingError as exc:
            st.error(str(exc))
