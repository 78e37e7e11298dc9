"""Load test of the real app: 100 trainees sign in, read, start, answer and submit at once.

    .venv/bin/python benchmarks/load_app.py [--trainees N] [--arrival S] [--think MIN MAX]
                                            [--profile FILE]

The defaults are the measured configuration; fewer trainees or shorter think times are for
iterating. --profile samples the server with py-spy (if installed) into FILE (a speedscope
or flamegraph file by its suffix).

Drives `streamlit run streamlit_app.py` (SQLite in a temp dir, the fixture content: one
module of two lessons and a 4-question quiz, FIPP_CONTENT_ROOT=tests/fixtures/content)
over the browser's own websocket protocol (benchmarks/stclient.py). Each trainee is a
websocket session doing what a person does: open the app, sign in (argon2), open the
module, mark both lessons read, start the quiz, answer each question (one page run per
choice; a multi-select question is two), submit and see the result. People arrive over
ARRIVAL_SECONDS and think THINK_SECONDS between actions (3-10 s: quicker than people
read a scenario question), except
for the quiz start: all 100 wait at one gate and press Start in the same instant, which
is the "100 simultaneous quiz starts" figure. A submission is acknowledged when the result page shows
"Passed: you scored 100%". Afterwards the database is checked: every acknowledged
submission is there once, nothing else was submitted, and the records verify.
Loopback only; bounded (one pass per trainee, a 60 s timeout per page run, a 4-minute
deadline); figures last as `name: value`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import stclient as sc  # noqa: E402

TRAINEES = 100
ARRIVAL_SECONDS = 10.0
THINK_SECONDS = (3.0, 10.0)
DEADLINE_SECONDS = 240


STEPS = ("open", "sign_in", "module", "lesson", "quiz_start", "answer", "submit")


class StepTally(sc.Tally):
    """All page runs, and each step's on its own."""

    def __init__(self) -> None:
        super().__init__()
        self.by_step: dict[str, list[float]] = {step: [] for step in STEPS}

    def step(self, name: str, run: sc.PageRun) -> None:
        self.add(run)
        self.by_step[name].append(run.seconds)


async def trainee(url: str, badge: str, catalog: object, gate: asyncio.Event, ready: list[str],
                  starts: list[float], tally: StepTally, acked: dict[str, int], rng: random.Random) -> None:
    s = sc.Session(url)
    try:
        await asyncio.sleep(rng.uniform(0, ARRIVAL_SECONDS))
        tally.step("open", await s.open())
        await asyncio.sleep(rng.uniform(*THINK_SECONDS))
        tally.step("sign_in", await s.sign_in(badge, sc.TRAINEE_PASSWORD))
        await asyncio.sleep(rng.uniform(*THINK_SECONDS))
        tally.step("module", await s.run(page_name="module"))
        for _ in range(2):
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))
            tally.step("lesson", await s.click(next(k for k in s.last.widgets if k.startswith("module.next."))))
        ready.append(badge)
        await gate.wait()
        run = await s.click("quiz.start.sample-quiz")
        starts.append(time.perf_counter())
        tally.step("quiz_start", run)
        acked[badge] = await answer_timed(s, catalog, tally, rng)
    except Exception as exc:  # noqa: BLE001 - every failure is an error in the figures
        tally.errors.append(f"{badge}: {exc!r}")
    finally:
        await s.close()


async def answer_timed(s: sc.Session, catalog: object, tally: StepTally, rng: random.Random) -> int:
    """Answer correctly with think time, timing every page run, then submit."""
    single, multi = sc.correct_choices(catalog)
    keys = [(k, w) for k, w in s.last.widgets.items() if k.startswith("quiz.") and not k.startswith("quiz.submit.")]
    submit = next(k for k in s.last.widgets if k.startswith("quiz.submit."))
    for key, w in keys:
        if w.kind == "radio" and w.label in single:
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))
            tally.step("answer", await s.choose(key, single[w.label]))
        elif w.kind == "checkbox" and w.label in multi:
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))
            tally.step("answer", await s.tick(key))
    await asyncio.sleep(rng.uniform(*THINK_SECONDS))
    run = await s.click(submit)
    tally.step("submit", run)
    if not any(t.startswith("Passed: you scored 100%") for t in run.texts):
        raise sc.AppError(f"submission not acknowledged: {run.texts[:6]} {run.errors}")
    return int(submit.rsplit(".", 1)[1])


async def drive(url: str, badges: list[str], catalog: object,
                pid: int) -> tuple[StepTally, dict[str, int], float, float, float]:
    gate, ready, starts, tally, acked = asyncio.Event(), [], [], StepTally(), {}
    rng = random.Random(2024)
    tasks = [asyncio.create_task(trainee(url, b, catalog, gate, ready, starts, tally, acked, random.Random(rng.random())))
             for b in badges]
    t0 = time.perf_counter()
    while len(ready) + len(tally.errors) < len(badges) and time.perf_counter() - t0 < DEADLINE_SECONDS / 2:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # let the last ones settle on the quiz page
    released, cpu_released = time.perf_counter(), sc.cpu_seconds(pid)
    gate.set()
    while len(starts) + len(tally.errors) < len(ready) and time.perf_counter() - released < DEADLINE_SECONDS / 2:
        await asyncio.sleep(0.01)
    # Server CPU while the starts ran (answers begin after at least THINK_SECONDS[0] of thinking).
    start_cpu = sc.cpu_seconds(pid) - cpu_released
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=DEADLINE_SECONDS)
    wall = time.perf_counter() - t0
    burst = (max(starts) - released) if starts else float("nan")
    return tally, acked, burst, wall, start_cpu


def check_database(url: str, acked: dict[str, int]) -> tuple[int, int, bool]:
    """(lost, duplicated, records verify) for the acknowledged submissions."""
    from sqlalchemy import text

    from db.engine import make_engine, read_session
    from training.evidence.integrity import verify_records

    engine = make_engine(url)
    with read_session(engine) as s:
        rows = s.execute(text("SELECT o.badge_number, a.id FROM attempt a JOIN officer o ON o.id = a.officer_id "
                              "WHERE a.status = 'submitted'")).all()
        ok = verify_records(session=s).ok
    engine.dispose()
    submitted: dict[str, list[int]] = {}
    for badge, attempt_id in rows:
        submitted.setdefault(badge, []).append(attempt_id)
    lost = sum(1 for b, a in acked.items() if a not in submitted.get(b, []))
    duplicated = sum(len(ids) - 1 for ids in submitted.values()) + sum(1 for b in submitted if b not in acked)
    return lost, duplicated, ok


def main(argv: list[str] | None = None) -> int:
    global TRAINEES, ARRIVAL_SECONDS, THINK_SECONDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--trainees", type=int, default=TRAINEES)
    parser.add_argument("--arrival", type=float, default=ARRIVAL_SECONDS, help="seconds over which trainees arrive")
    parser.add_argument("--think", type=float, nargs=2, default=THINK_SECONDS, metavar=("MIN", "MAX"))
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="a `streamlit run` option for the server, e.g. server.fileWatcherType=auto")
    parser.add_argument("--profile", type=Path, help="py-spy the server into this file (.svg or .json)")
    args = parser.parse_args(argv)
    options = dict(o.split("=", 1) for o in args.option if "=" in o)
    if len(options) != len(args.option):
        parser.error("--option takes NAME=VALUE")
    if args.trainees < 1 or args.arrival < 0 or not 0 <= args.think[0] <= args.think[1]:
        parser.error("need --trainees >= 1, --arrival >= 0 and 0 <= MIN <= MAX")
    TRAINEES, ARRIVAL_SECONDS, THINK_SECONDS = args.trainees, args.arrival, (args.think[0], args.think[1])
    from training.content import load_catalog

    catalog = load_catalog(sc.FIXTURE_CONTENT)
    with tempfile.TemporaryDirectory(prefix="fipp-load-") as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'app.db'}"
        badges = sc.seed_trainees(url, TRAINEES)
        app = sc.start_app(work, database_url=url, options=options)
        spy = None
        try:
            if args.profile:
                exe = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
                fmt = "speedscope" if args.profile.suffix == ".json" else "flamegraph"
                spy = subprocess.Popen([exe, "record", "--pid", str(app.proc.pid), "--rate", "200", "--format", fmt,
                                        "--output", str(args.profile), "--nonblocking"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            cpu0 = sc.cpu_seconds(app.proc.pid)
            tally, acked, burst, wall, start_cpu = asyncio.run(drive(app.url, badges, catalog, app.proc.pid))
            cpu = sc.cpu_seconds(app.proc.pid) - cpu0
        finally:
            if spy is not None:
                spy.send_signal(2)  # py-spy writes its file on SIGINT
                spy.wait(timeout=60)
            sc.stop_app(app)
        lost, duplicated, verified = check_database(url, acked)
    for error in tally.errors[:5]:
        print(f"error: {error[:300]}")
    busy = sum(tally.seconds)
    figures = {
        "trainees": TRAINEES,
        "content": "tests/fixtures/content (4-question quiz)",
        **({"server_options": " ".join(args.option)} if args.option else {}),
        "think_seconds": f"{THINK_SECONDS[0]}-{THINK_SECONDS[1]}",
        "page_runs": len(tally.seconds),
        "wall_seconds": f"{wall:.1f}",
        "page_runs_per_second": f"{len(tally.seconds) / wall:.1f}",
        "server_cpu_ms_per_page_run": f"{1000 * cpu / max(1, len(tally.seconds)):.1f}",
        "mean_concurrent_page_runs": f"{busy / wall:.1f}",
        "p50_ms": f"{1000 * sc.percentile(tally.seconds, 50):.0f}",
        "p95_ms": f"{1000 * sc.percentile(tally.seconds, 95):.0f}",
        "max_ms": f"{1000 * max(tally.seconds, default=0):.0f}",
        **{f"{step}_p50_p95_ms": f"{1000 * sc.percentile(v, 50):.0f} / {1000 * sc.percentile(v, 95):.0f}"
           for step, v in tally.by_step.items()},
        "server_cpu_ms_per_quiz_start": f"{1000 * start_cpu / max(1, len(tally.by_step['quiz_start'])):.1f}",
        f"{TRAINEES} simultaneous quiz starts completed within": f"{burst:.2f} s",
        "submissions_acknowledged": len(acked),
        "errors": len(tally.errors),
        "lost_submissions": lost,
        "duplicated_submissions": duplicated,
        "records_verify": "ok" if verified else "FAILED",
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    good = not tally.errors and not lost and not duplicated and verified and len(acked) == TRAINEES
    return 0 if good else 1


if __name__ == "__main__":
    raise SystemExit(main())
