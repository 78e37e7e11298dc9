"""FIPP Academy domain: content, scoring and use cases. Never imports streamlit."""
