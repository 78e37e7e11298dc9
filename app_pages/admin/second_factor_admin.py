"""Part of the Departments and officers page: an administrator resets another officer's second factor."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from db.engine import read_session, write_session
from training.errors import TrainingError
from training.identity.principal import Principal
from training.identity.second_factor import is_enrolled, reset_second_factor


def second_factor_panel(who: Principal, officer_id: int) -> None:
    with read_session(common.engine()) as s:
        enrolled = is_enrolled(session=s, officer_id=officer_id)
    st.text(f"Authenticator app: {'set up' if enrolled else 'not set up'}")
    if not enrolled or officer_id == who.officer_id:
        return
    sure = st.checkbox("They lost their phone and recovery codes: remove their authenticator, sign them out "
                       "everywhere, and have them set up a new one at their next sign-in",
                       key=f"people.mfa.sure.{officer_id}")
    if st.button("Reset second factor", key=f"people.mfa.reset.{officer_id}", disabled=not sure):
        try:
            with write_session(common.engine()) as s:  # the service re-reads the actor's role itself
                reset_second_factor(session=s, actor_id=who.officer_id, officer_id=officer_id)
        except TrainingError as exc:
            st.error(str(exc))
            return
        st.success("Second factor reset. They will set up a new authenticator at their next sign-in.")
