"""Supervisors: their department's training at a glance."""

import streamlit as st

from app_pages import common

who = common.require("supervisor", "admin")
st.title("Department dashboard")
st.info("The department dashboard is being built.")
