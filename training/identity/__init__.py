"""Identity: who is signed in (principal), browser sessions, sign-in throttling, one-time links."""
