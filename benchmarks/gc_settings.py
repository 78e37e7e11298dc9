"""runner.postScriptGC on vs off: server CPU and latency per page run, same load, same run.

    .venv/bin/python benchmarks/gc_settings.py

Streamlit runs a full gc.collect() after every script run unless runner.postScriptGC is
false. This starts the real app (fixture content, SQLite in a temp dir) once per setting,
twice each in the order on, off, off, on so that drift on the machine cancels out, and
drives the same load at each: 10 trainees who passed the quiz, browsing My training and
the module page with 0.5 s think time, for PHASE_SECONDS. Server CPU comes from
/proc/<pid>/stat. Within 5 minutes; figures last. The memory side is benchmarks/soak_memory.py.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import stclient as sc  # noqa: E402

CLIENTS = 10
THINK_SECONDS = 0.5
PHASE_SECONDS = 40
PAGES = ("my-training", "module")


async def _load(url: str, badges: list[str], catalog: object, tally: sc.Tally, cpu_window: list[float],
                pid: int) -> None:
    # Everyone signs in and passes first (not measured), then the measured browsing starts together.
    sessions = [sc.Session(url) for _ in badges]
    two_at_a_time = asyncio.Semaphore(2)  # sign-ins hold SQLite's write lock through argon2 (docs/performance.md)
    await asyncio.gather(*(_prepare(s, b, catalog, two_at_a_time) for s, b in zip(sessions, badges, strict=True)))
    cpu_window.append(sc.cpu_seconds(pid))
    until = time.monotonic() + PHASE_SECONDS
    await asyncio.gather(*(_browse(s, until, tally) for s in sessions))
    cpu_window.append(sc.cpu_seconds(pid))
    await asyncio.gather(*(s.close() for s in sessions))


async def _prepare(s: sc.Session, badge: str, catalog: object, gate: asyncio.Semaphore) -> None:
    async with gate:
        await sc.sign_in_and_read(s, badge)
        await s.click("quiz.start.sample-quiz")
        await sc.answer_and_submit(s, catalog)


async def _browse(s: sc.Session, until: float, tally: sc.Tally) -> None:
    while time.monotonic() < until:
        for page in PAGES:
            tally.add(await s.run(page_name=page))
            await asyncio.sleep(THINK_SECONDS)


def phase(gc_on: bool, catalog: object) -> tuple[float, sc.Tally]:
    with tempfile.TemporaryDirectory(prefix="fipp-gc-") as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'app.db'}"
        badges = sc.seed_trainees(url, CLIENTS)
        app = sc.start_app(work, database_url=url, options={"runner.postScriptGC": str(gc_on).lower()})
        tally, window = sc.Tally(), []
        try:
            asyncio.run(_load(app.url, badges, catalog, tally, window, app.proc.pid))
        finally:
            sc.stop_app(app)
    return (window[1] - window[0]) / max(1, len(tally.seconds)), tally


def main() -> int:
    from training.content import load_catalog

    catalog = load_catalog(sc.FIXTURE_CONTENT)
    results: dict[bool, list[tuple[float, sc.Tally]]] = {True: [], False: []}
    for gc_on in (True, False, False, True):
        results[gc_on].append(phase(gc_on, catalog))
    figures: dict[str, str] = {"clients": str(CLIENTS), "think_seconds": str(THINK_SECONDS),
                               "seconds_per_phase": str(PHASE_SECONDS)}
    for gc_on, tag in ((True, "gc_on"), (False, "gc_off")):
        runs = [s for _, t in results[gc_on] for s in t.seconds]
        cpu = statistics.mean(c for c, _ in results[gc_on])
        figures[f"{tag}_page_runs"] = str(len(runs))
        figures[f"{tag}_errors"] = str(sum(len(t.errors) for _, t in results[gc_on]))
        figures[f"{tag}_cpu_ms_per_page_run"] = f"{1000 * cpu:.1f}"
        figures[f"{tag}_p50_ms"] = f"{1000 * sc.percentile(runs, 50):.0f}"
        figures[f"{tag}_p95_ms"] = f"{1000 * sc.percentile(runs, 95):.0f}"
        figures[f"{tag}_page_runs_per_second"] = f"{len(runs) / (2 * PHASE_SECONDS):.1f}"
    on, off = float(figures["gc_on_cpu_ms_per_page_run"]), float(figures["gc_off_cpu_ms_per_page_run"])
    figures["cpu_saved_by_turning_gc_off_percent"] = f"{100 * (on - off) / on:.0f}"
    for name, value in figures.items():
        print(f"{name}: {value}")
    return 0 if figures["gc_on_errors"] == figures["gc_off_errors"] == "0" else 1


if __name__ == "__main__":
    raise SystemExit(main())
