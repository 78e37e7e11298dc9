"""HTTP beside Streamlit (st.App): the session-cookie routes and the security middleware.

Nothing here renders pages; the routes only set or clear the session cookie and redirect.
"""
