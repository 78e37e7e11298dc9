"""/_stcore/health latency: our app vs a one-line Streamlit app, same run.

    .venv/bin/python benchmarks/bench_health.py

Both apps run side by side (`streamlit run`, loopback, SQLite in a temp dir); requests
alternate between them (which goes first alternates too), REQUESTS per app after a
warm-up, so both see the same machine at the same moment. Each request opens its own
connection, as load-balancer and orchestrator probes do: over one keep-alive connection
both apps answer in a flat ~44 ms, the server's Nagle delay meeting the client's delayed
ACK, which measures TCP, not the app. Target: ours at most 1.5x the minimal app. Within a
minute; figures last.
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


def _get(url: str) -> float:
    parsed = urlparse(url)
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=10)
    conn.request("GET", "/_stcore/health")
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
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
            for _ in range(WARMUP):
                _get(ours.url), _get(bare.url)
            t_ours, t_bare = [], []
            for i in range(REQUESTS):
                if i % 2:
                    t_ours.append(_get(ours.url))
                    t_bare.append(_get(bare.url))
                else:
                    t_bare.append(_get(bare.url))
                    t_ours.append(_get(ours.url))
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
