"""Check a certificate: public, no sign-in. Reached from the QR code on every certificate."""

import streamlit as st

from app_pages import common
from db.engine import read_session
from training.evidence.public import CHECKS_PER_WINDOW, WINDOW_SECONDS, RateLimiter, check_certificate


@st.cache_resource(show_spinner=False)
def limiter() -> RateLimiter:
    return RateLimiter()


def client_id() -> str:
    try:
        return str(st.context.ip_address or "unknown")
    except Exception:  # noqa: BLE001 - AppTest and some proxies give no address: one shared bucket
        return "unknown"


st.title("Check a certificate")
st.caption("Enter the verification code printed on a FIPP Academy certificate, or scan its QR code.")
given = str(st.query_params.get("code", ""))[:64]
code = st.text_input("Verification code", value=given, max_chars=64, key="verify.code",
                     placeholder="ABCD-EFGH-JKLM")
if code.strip():
    if not limiter().allow(client_id()):
        st.error(f"Too many checks from this address: at most {CHECKS_PER_WINDOW} every "
                 f"{WINDOW_SECONDS // 60} minutes. Try again later.")
        st.stop()
    titles = {m.id: m.title for m in common.catalog().modules.values()}
    with read_session(common.engine()) as s:
        result = check_certificate(session=s, code=code, module_titles=titles)
    lines = result.lines()
    if result.valid:
        st.success(lines[0])
        for line in lines[1:]:
            st.text(line)
    else:
        st.error(lines[0])
