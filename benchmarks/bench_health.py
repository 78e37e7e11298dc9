"""/_stcore/health latency: our app vs a one-line Streamlit app, same run.

    .venv/bin/python benchmarks/bench_health.py

Both apps run side by side (`streamlit run`, loopback, SQLite in a temp dir); requests
alternate between them over one keep-alive connection each, REQUESTS per app after a
warm-up, so both see the same machine at the same moment. Target: ours at most 1.5x the
minimal app. Within a minute; figures last.
"""

from __future__ import annotations

import http.client
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stclient as sc  # noqa: E402

REQUESTS = 1000
WARMUP = 50


def _conn(url: str) -> http.client.HTTPConnection:
    parsed = urlparse(url)
    return http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=10)


def _get(conn: http.client.HTTPConnection) -> float:
    t0 = time.perf_counter()
    conn.request("GET", "/_stcore/health")
    resp = conn.getresponse()
    body = resp.read()
    elapsed = time.perf_counter() - t0
    if resp.status != 200 or body.strip() != b"ok":
        raise RuntimeError(f"health answered {resp.status} {body[:80]!r}")
    return elapsed


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="fipp-health-") as tmp:
        work = Path(tmp)
        minimal = work / "minimal_app.py"
        minimal.write_text('import streamlit as st\nst.write("hello")\n')
        ours = sc.start_app(work, database_url=f"sqlite:///{work / 'app.db'}")
        (work / "minimal").mkdir()
        bare = sc.start_app(work / "minimal", script=minimal, content_root=None)
        try:
            c_ours, c_bare = _conn(ours.url), _conn(bare.url)
            for _ in range(WARMUP):
                _get(c_ours), _get(c_bare)
            t_ours, t_bare = [], []
            for _ in range(REQUESTS):
                t_ours.append(_get(c_ours))
                t_bare.append(_get(c_bare))
        finally:
            sc.stop_app(ours)
            sc.stop_app(bare)
    p50_ours, p50_bare = statistics.median(t_ours), statistics.median(t_bare)
    figures = {
        "requests_per_app": REQUESTS,
        "ours_p50_ms": f"{1000 * p50_ours:.3f}",
        "ours_p95_ms": f"{1000 * sc.percentile(t_ours, 95):.3f}",
        "minimal_p50_ms": f"{1000 * p50_bare:.3f}",
        "minimal_p95_ms": f"{1000 * sc.percentile(t_bare, 95):.3f}",
        "ratio_p50": f"{p50_ours / p50_bare:.2f}",
        "target_ratio": "1.5",
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
