"""The Streamlit UI: pages only parse input, call a service, and show the result."""
