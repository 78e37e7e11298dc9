"""Identity: who is signed in (principal), the first administrator, accounts and passwords,
sign-in, browser sessions, sign-in throttling, one-time links, second factor and single sign-on."""
