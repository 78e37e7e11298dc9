"""Sign-in throttling, per client address and per login name (finding 4).

Rules a supervisor may ask about:
- At most FIPP_SIGNIN_PER_ADDRESS sign-in tries (default 30) from one network address and
  FIPP_SIGNIN_PER_LOGIN (default 10) for one email or badge number in any 5 minutes; past
  that the answer is "too many tries, wait a few minutes", for existing and unknown logins
  alike (the limit is kept per typed login, so it says nothing about whether it exists).
- The account lockout (5 wrong passwords in a row) still applies on top.
- Counters live in this server process's memory (bounded to 50,000 keys), so a restart
  clears them; the lockout is in the database.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

WINDOW_S = 300.0
MAX_KEYS = 50_000
TOO_MANY = "Too many sign-in tries from here or for this account. Wait a few minutes and try again."


class SlidingWindow:
    """How many events per key in the last window seconds, with the number of keys bounded."""

    def __init__(self, limit: int, window_s: float = WINDOW_S, max_keys: int = MAX_KEYS) -> None:
        self.limit, self.window_s, self.max_keys = limit, window_s, max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str, now: float) -> bool:
        """Record one event for key; False when key is already at its limit (the event is not counted)."""
        with self._lock:
            q = self._events.pop(key, None) or deque()
            while q and q[0] <= now - self.window_s:
                q.popleft()
            allowed = len(q) < self.limit
            if allowed:
                q.append(now)
            self._events[key] = q  # most recently used last
            while len(self._events) > self.max_keys:
                self._events.popitem(last=False)
            return allowed


class SignInThrottle:
    def __init__(self, *, per_address: int, per_login: int) -> None:
        self.addresses = SlidingWindow(per_address)
        self.logins = SlidingWindow(per_login)

    def allow(self, *, address: str | None, login: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        by_address = self.addresses.hit(address or "unknown", now)
        by_login = self.logins.hit((login or "").strip().lower()[:254], now)
        return by_address and by_login
