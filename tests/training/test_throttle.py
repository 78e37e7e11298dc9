"""Finding 4: sign-ins are throttled per address and per typed login, and argon2 runs a bounded
number at a time. Before the fix there was no throttle and no bound (100 parallel sign-ins took
the server from 206 MB to 1,155 MB)."""

from __future__ import annotations

import threading
import time

from training.identity import passwords
from training.identity.throttle import SignInThrottle, SlidingWindow


def test_one_login_gets_ten_tries_in_five_minutes_whether_or_not_it_exists():
    throttle = SignInThrottle(per_address=1000, per_login=10)
    for login in ("trainee@north.example.org", "nobody@nowhere.example"):
        results = [throttle.allow(address=f"10.0.0.{i}", login=login, now=0.0) for i in range(11)]
        assert results == [True] * 10 + [False]
    assert throttle.allow(address="10.0.0.1", login="nobody@nowhere.example", now=301.0)  # the window moved on


def test_one_address_gets_thirty_tries_across_logins():
    throttle = SignInThrottle(per_address=30, per_login=1000)
    results = [throttle.allow(address="203.0.113.9", login=f"user{i}", now=float(i)) for i in range(31)]
    assert results == [True] * 30 + [False]
    assert throttle.allow(address="203.0.113.10", login="user0", now=31.0)  # positive control: another address


def test_the_counters_keep_a_bounded_number_of_keys():
    window = SlidingWindow(limit=1, max_keys=100)
    for i in range(1000):
        window.hit(f"k{i}", 0.0)
    assert len(window._events) == 100


def test_at_most_the_configured_number_of_hashes_run_at_once(monkeypatch):
    running, peak, lock = 0, 0, threading.Lock()

    class CountingHasher:
        def verify(self, _hash: str, _password: str) -> bool:
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            time.sleep(0.02)  # hold the slot so overlapping calls would show; not a timed assertion
            with lock:
                running -= 1
            return False

    monkeypatch.setattr(passwords, "_HASHER", CountingHasher())
    monkeypatch.setattr(passwords, "HASH_SLOTS", threading.BoundedSemaphore(2))
    threads = [threading.Thread(target=passwords.verify_password, args=("h", "p")) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == 2
