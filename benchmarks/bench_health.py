"""Start-up: time from process start to the first complete page run, ours vs a one-line app.

    .venv/bin/python benchmarks/bench_health.py

What a signed-out visitor waits for after a deploy or a restart: `streamlit run` starts, the
browser's websocket connects (retried every 20 ms until the server listens, as the browser's
own reconnect does), asks for a page run, and the run finishes with the sign-in form on it
(widgets login.user and login.password, detected through Streamlit's own protocol with
benchmarks/stclient.py). The baseline is a one-line app, `st.write("hello")`, timed the same
way until its run finishes with "hello". Ours runs on a migrated SQLite database with an
administrator (otherwise the first page is set-up, not sign-in) and the real content.

Each round starts and stops one process of each, the order alternating, so both see the
same machine; ROUNDS rounds. Also printed: a second page run on the same connection (the
warm cost of the sign-in page). Target: ours at most 1.5x the one-line app. Two ratios: of
the medians, and the median of each round's own ratio (on a busy machine a burst of other
work can land on one process of a round; pairing within rounds keeps that from deciding).
Also the CPU time the server process had used by its first page (Linux /proc), which a busy
machine disturbs far less than wall time.
About two minutes; figures last as `name: value`.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import stclient as sc  # noqa: E402

ROUNDS = 6
TIMEOUT = 90.0
TARGET = 1.5


def _ours_ready(run: sc.PageRun) -> bool:
    return {"login.user", "login.password"} <= set(run.widgets)


def _minimal_ready(run: sc.PageRun) -> bool:
    return "hello" in run.texts


def _cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used so far (Linux /proc), or NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _first_run(url: str, ready: object, started: float, pid: int) -> tuple[float, float, float]:
    """Seconds from `started` to the first finished run that shows the page; then a second run's;
    and the CPU seconds the server process had used by the end of the first page."""
    deadline = started + TIMEOUT
    while True:
        session = sc.Session(url)
        try:
            run = await session.open()
        except OSError:  # not listening yet
            await session.close()
            if time.perf_counter() > deadline:
                raise
            await asyncio.sleep(0.02)
            continue
        first = time.perf_counter() - started
        cpu = _cpu_seconds(pid)
        try:
            if not ready(run):  # type: ignore[operator]
                raise sc.AppError(f"first page run is not the expected page: {run.texts[:4]} {run.errors}")
            second = await session.run()
            if not ready(second):  # type: ignore[operator]
                raise sc.AppError(f"second page run is not the expected page: {second.texts[:4]}")
            return first, second.seconds, cpu
        finally:
            await session.close()


def time_start(script: Path, env: dict[str, str], ready: object, log: Path) -> tuple[float, float, float]:
    port = sc.free_port()
    args = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=sc.ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        return asyncio.run(_first_run(f"http://127.0.0.1:{port}", ready, started, proc.pid))
    except Exception as exc:
        raise RuntimeError(f"{script.name}: {exc}\n{log.read_text()[-2000:]}") from exc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def seed(database_url: str) -> None:
    """A migrated database with its first administrator, so a visitor meets the sign-in form."""
    from db.engine import make_engine, write_session
    from db.migrate import upgrade
    from training.identity.setup import create_first_admin
    from training.settings import Settings

    engine = make_engine(database_url)
    upgrade(engine)
    with write_session(engine) as s:
        create_first_admin(session=s, name="Start Admin", email="start@example.org", badge_number="S-1",
                           password="start-up benchmark pass phrase", settings=Settings())
    engine.dispose()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="fipp-startup-") as tmp:
        work = Path(tmp)
        minimal = work / "minimal_app.py"
        minimal.write_text('import streamlit as st\nst.write("hello")\n')
        url = f"sqlite:///{work / 'app.db'}"
        seed(url)
        env = {k: v for k, v in os.environ.items() if k != "FIPP_CONTENT_ROOT"}
        env["DATABASE_URL"] = url
        ours: list[tuple[float, float, float]] = []
        bare: list[tuple[float, float, float]] = []
        jobs = ((sc.ROOT / "streamlit_app.py", _ours_ready, ours), (minimal, _minimal_ready, bare))
        for n in range(ROUNDS):
            for script, ready, out in (jobs if n % 2 == 0 else jobs[::-1]):
                out.append(time_start(script, env, ready, work / f"{script.stem}-{n}.log"))
    first_ours = statistics.median(t for t, _, _ in ours)
    first_bare = statistics.median(t for t, _, _ in bare)
    figures = {
        "rounds": ROUNDS,
        "ours_first_page_s": " ".join(f"{t:.2f}" for t, _, _ in ours),
        "minimal_first_page_s": " ".join(f"{t:.2f}" for t, _, _ in bare),
        "ours_second_run_median_ms": f"{1000 * statistics.median(s for _, s, _ in ours):.1f}",
        "minimal_second_run_median_ms": f"{1000 * statistics.median(s for _, s, _ in bare):.1f}",
        "ours_first_page_median_s": f"{first_ours:.2f}",
        "minimal_first_page_median_s": f"{first_bare:.2f}",
        "ours_cpu_to_first_page_s": " ".join(f"{c:.2f}" for _, _, c in ours),
        "minimal_cpu_to_first_page_s": " ".join(f"{c:.2f}" for _, _, c in bare),
        "cpu_ratio_median": f"{statistics.median(c for _, _, c in ours) / statistics.median(c for _, _, c in bare):.2f}",
        "target_ratio": f"{TARGET}",
        "ratio_per_round": " ".join(f"{o / b:.2f}" for (o, _, _), (b, _, _) in zip(ours, bare, strict=True)),
        "ratio_paired_median": f"{statistics.median(o / b for (o, _, _), (b, _, _) in zip(ours, bare, strict=True)):.2f}",
        "ratio_median": f"{first_ours / first_bare:.2f}",
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
