"""Hand over one-time set-password links: emailed when SMTP is configured, otherwise shown to copy."""

from __future__ import annotations

import threading

import streamlit as st

from db.engine import write_session
from training.exports import csv_bytes
from training.identity.links import email_link, issue_link, link_url
from training.mail import smtp_settings

PENDING = "links.pending"  # shown after the rerun that follows a successful import or add


def issue_first_links(engine, actor_id: int, officers: list[tuple[int, str, str]]) -> None:  # type: ignore[no-untyped-def]
    """One first-password link per officer (id, name, email), then email or keep them to show."""
    with write_session(engine) as s:
        links = [(name, email, issue_link(session=s, officer_id=oid, purpose="first_password", actor_id=actor_id))
                 for oid, name, email in officers]
    smtp = smtp_settings()
    if smtp is not None:
        def send() -> None:
            for _name, email, token in links:
                try:
                    email_link(smtp=smtp, to=email, token=token, purpose="first_password")
                except Exception:  # noqa: BLE001 - an undelivered link can be re-issued from People
                    pass
        threading.Thread(target=send, daemon=True).start()
        st.session_state[PENDING] = ("emailed", len(links), [])
    else:
        st.session_state[PENDING] = ("shown", len(links), [(n, e, link_url(t)) for n, e, t in links])


def show_pending_links() -> None:
    pending = st.session_state.pop(PENDING, None)
    if not pending:
        return
    how, count, rows = pending
    if how == "emailed":
        st.info(f"A one-time link to set a password was emailed to each of the {count} new officer(s). "
                "Each link works once, for 24 hours.")
        return
    st.warning("Give each officer their own link, privately: it sets their password, works once and expires "
               "in 24 hours. It is shown only now.")
    for name, email, url in rows[:20]:
        st.text(f"{name} <{email}>")
        st.code(url, language=None)
    if len(rows) > 1:
        st.download_button("Download all links (CSV)", csv_bytes(["name", "email", "link"], rows),
                           file_name="set-password-links.csv", mime="text/csv", key="links.download")
