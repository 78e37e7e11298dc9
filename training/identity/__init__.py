"""Identity: who is signed in (principal), browser sessions, sign-in throttling, one-time links,
second factor and single sign-on."""
