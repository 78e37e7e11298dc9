"""Identity: who is signing in and how (second factor, single sign-on)."""
