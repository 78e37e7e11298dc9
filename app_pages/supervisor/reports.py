"""Placeholder: being built (issue "Accountability")."""

import streamlit as st

from app_pages import common

who = common.require("supervisor", "admin")
st.info("This page is being built.")
