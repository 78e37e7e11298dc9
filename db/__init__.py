"""Persistence: tables, engine, queries and migrations. Never imports streamlit."""
