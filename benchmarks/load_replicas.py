"""Two replicas behind nginx, 200 trainees, one replica SIGKILLed mid-run.

    .venv/bin/python benchmarks/load_replicas.py              # the full run: 200 trainees
    .venv/bin/python benchmarks/load_replicas.py --trainees 20  # a quick one while developing

What a production deployment looks like (docs/deploy.md), on one machine: a throwaway
PostgreSQL database (127.0.0.1:5432, dropped at the end), migrated and seeded with the
trainees; two `streamlit run streamlit_app.py` replicas on free loopback ports; nginx (Debian's
/usr/sbin/nginx, a non-daemon child with its own prefix, pid and logs, never the system
one) in front, its upstream, websocket and retry settings copied from
deploy/nginx/fipp-academy.conf so the run tests the shipped file, over plain http on a free
port. Every trainee speaks Streamlit's websocket protocol through the proxy
(benchmarks/stclient.py): open the app, sign in, open the module, read both lessons, start
the quiz, answer each question (a page run per choice; saved as chosen), submit.

Once KILL_WHEN of the trainees have a saved answer, the replica holding more connections is
SIGKILLed. A trainee whose websocket drops reconnects through the proxy with the same
cookies: every other one reloads the page, the others resume as Streamlit's page does (a new
websocket, then a rerun with the widget values it holds). It must arrive signed in (no
sign-in form), find every answer the app had acknowledged still chosen on the page, then
finish and submit. A choice it sees chosen it takes as saved; a page run that was in flight
and is not shown is repeated, as a person would repeat a click.

Checked at the end: no errors; every trainee's submission acknowledged exactly once (the
result page, or after a reconnect mid-submit, "You have already passed this quiz") and in
the database once; every answer a trainee saw saved is the graded answer in the database;
`python -m training verify-records` passes. Figures last as `name: value`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import stclient as sc  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.exceptions import ConnectionClosed

TRAINEES = 200
ARRIVAL_SECONDS = 20.0
THINK_SECONDS = (2.0, 6.0)
KILL_WHEN = 0.4  # the share of trainees with at least one saved answer when a replica is killed
DEADLINE_SECONDS = 270
NGINX = Path("/usr/sbin/nginx")
DEPLOY_CONF = sc.ROOT / "deploy" / "nginx" / "fipp-academy.conf"
PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSED = "Passed: you scored 100%"
ALREADY_PASSED = "You have already passed this quiz."
LOST_LINK = (ConnectionClosed, OSError, EOFError)  # the websocket or the proxy went away under us


# --- the throwaway database -------------------------------------------------------------------

def create_database() -> tuple[str, str]:
    """A new empty PostgreSQL database: (its SQLAlchemy url, its name)."""
    import psycopg

    name = f"fipp_replicas_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}", name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- nginx ------------------------------------------------------------------------------------

def _block(text: str, head: str, indent: str = "") -> str:
    """The `head { ... }` block of the deployed config, as written there."""
    found = re.search(rf"^{indent}{re.escape(head)} {{\n.*?^{indent}}}\n", text, flags=re.M | re.S)
    if found is None:
        raise RuntimeError(f"{DEPLOY_CONF} has no `{head}` block")
    return found.group(0)


def nginx_config(prefix: Path, port: int, replica_ports: list[int]) -> str:
    """The deployed upstream (hashing, failure marking), map and `location /`, on plain http."""
    deployed = DEPLOY_CONF.read_text()
    upstream = _block(deployed, "upstream fipp_academy")
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+(.*);$", upstream, flags=re.M)
    if len(servers) < 2 or "hash $cookie_fipp_browser consistent;" not in upstream:
        raise RuntimeError(f"{DEPLOY_CONF}: expected two sticky upstream servers")
    upstream = re.sub(r"^\s*server 127\.0\.0\.1:\d+.*;\n", "", upstream, flags=re.M)
    lines = "".join(f"    server 127.0.0.1:{p}{servers[0]};\n" for p in replica_ports)
    upstream = upstream.replace("consistent;\n", "consistent;\n" + lines, 1)
    location = _block(deployed, "location /", indent="    ")
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""daemon off;
worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 4096; }}
http {{
    access_log {prefix / 'access.log'};
{temp}
{upstream}
{_block(deployed, 'map $http_upgrade $connection_upgrade')}
    server {{
        listen 127.0.0.1:{port};
{location}    }}
}}
"""


@dataclass
class Proxy:
    url: str
    proc: subprocess.Popen[bytes]
    prefix: Path


def start_nginx(work: Path, replica_ports: list[int]) -> Proxy:
    prefix = work / "nginx"
    prefix.mkdir()
    port = sc.free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(prefix, port, replica_ports))
    # -e: the error log before the config is read, so nothing goes near /var/log/nginx.
    args = [str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the generated config: {check.stderr}")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    if sc.wait_healthy(url, proc, seconds=20):
        return Proxy(url, proc, prefix)
    proc.kill()
    raise RuntimeError(f"nginx did not start: {(prefix / 'error.log').read_text()[-2000:]}")


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process and its children (nginx's work is done in its worker process)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sc.cpu_seconds(pid) + sum(sc.cpu_seconds(int(c)) for c in children)


def stop_nginx(proxy: Proxy) -> None:
    proxy.proc.send_signal(signal.SIGQUIT)  # graceful: finish the open requests
    try:
        proxy.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proxy.proc.kill()
        proxy.proc.wait()


@dataclass(frozen=True)
class Pace:
    """How people arrive and how long they think between actions; when the replica dies."""

    arrival: float = ARRIVAL_SECONDS
    think: tuple[float, float] = THINK_SECONDS
    kill_when: float = KILL_WHEN
    # After a dropped websocket: "reload" opens the page again (what the trainee sees is what the
    # server saved); "browser" does what Streamlit's page does: a new websocket and a rerun with
    # the widget values it holds, so a choice cut off by the kill is shown as the browser had it;
    # "both": every other trainee does each.
    reconnect: str = "both"


# --- one trainee ------------------------------------------------------------------------------

@dataclass
class Run:
    """What the drive saw: page runs, errors, and what each trainee was told."""

    tally: sc.Tally = field(default_factory=sc.Tally)
    acked: dict[str, list[int]] = field(default_factory=dict)  # badge -> attempt ids acknowledged
    saved: dict[str, dict[int, set[str]]] = field(default_factory=dict)  # badge -> position -> option texts
    answering: set[str] = field(default_factory=set)  # badges with at least one saved answer
    reconnected: set[str] = field(default_factory=set)
    resumed: set[str] = field(default_factory=set)  # ... of them by resuming as Streamlit's page does
    reconnected_signed_in: set[str] = field(default_factory=set)  # were signed in when the link dropped
    signed_in_after: set[str] = field(default_factory=set)  # ... and arrived signed in again
    lost_shown: int = 0  # acknowledged answers not chosen on the page after a reconnect


def quiz_widgets(run: sc.PageRun) -> dict[str, sc.Widget]:
    """The answer widgets of an open attempt, by key (`quiz.<attempt>.<position>[.<option>]`)."""
    return {k: w for k, w in run.widgets.items() if re.fullmatch(r"quiz\.\d+\.\d+(\..+)?", k)}


def shown_answers(run: sc.PageRun, held: dict[str, tuple[WidgetState, str]] | None = None) -> dict[int, set[str]]:
    """What the page shows as chosen, by position: the widgets' initial values, or the value the
    browser held and sent back (`held`: key -> (value, widget id)) where the widget is the same."""
    shown: dict[int, set[str]] = {}
    for key, w in quiz_widgets(run).items():
        position = int(key.split(".")[2])
        value, wid = (held or {}).get(key, (None, ""))
        if value is not None and wid == w.id:
            if w.kind == "radio" and value.string_value:
                shown.setdefault(position, set()).add(value.string_value)
            elif w.kind == "checkbox" and value.bool_value:
                shown.setdefault(position, set()).add(w.label)
        elif w.kind == "radio" and w.default is not None:
            shown.setdefault(position, set()).add(w.options[w.default])
        elif w.kind == "checkbox" and w.default:
            shown.setdefault(position, set()).add(w.label)
    return shown


class Trainee:
    """One browser: its cookies survive a dropped websocket, as a browser's do."""

    def __init__(self, url: str, badge: str, catalog: object, out: Run, rng: random.Random, pace: Pace) -> None:
        self.s = sc.Session(url)
        self.badge, self.out, self.rng, self.pace = badge, out, rng, pace
        self.single, self.multi = sc.correct_choices(catalog)
        self.saved = out.saved.setdefault(badge, {})
        self.signed_in = False
        self.log: list[str] = []  # what happened, for an error message
        self.resumes = pace.reconnect == "browser" or (pace.reconnect == "both" and int(badge[-4:]) % 2 == 1)

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(*self.pace.think))

    async def reconnect(self) -> None:
        """Open the app again through the proxy with the same cookies (the browser's reconnect)."""
        await self.s.close_quietly()
        self.out.reconnected.add(self.badge)
        if self.resumes:
            self.out.resumed.add(self.badge)
        if self.signed_in:
            self.out.reconnected_signed_in.add(self.badge)
        held = {k: (v, self.s.last.widgets[k].id) for k, v in self.s.values.items() if k in self.s.last.widgets}
        for tries in range(10):
            try:
                run = await (self.s.resume() if self.resumes else self.s.open())
                break
            except LOST_LINK:
                if tries == 9:
                    raise
                await asyncio.sleep(0.5 + tries)
        self.out.tally.add(run)
        if "login.user" in run.widgets:
            if self.signed_in:
                self.out.tally.errors.append(f"{self.badge}: signed out after reconnecting")
            return
        if self.signed_in:
            self.out.signed_in_after.add(self.badge)
        if self.s.page_name != "module":
            return
        shown = shown_answers(run, held if self.resumes else {})
        for position, chosen in self.saved.items():
            if not chosen <= shown.get(position, set()):
                self.out.lost_shown += 1
                self.out.tally.errors.append(f"{self.badge}: saved answer {position} {chosen} shown as "
                                             f"{shown.get(position)} after reconnecting")
        for position, chosen in shown.items():  # in flight when the replica died: shown, so taken as saved
            self.saved.setdefault(position, set()).update(chosen)

    async def step(self) -> bool:
        """Look at the page and do the next thing a trainee would; True when done."""
        page, s = self.s.last, self.s
        if "login.user" in page.widgets:
            await self.think()
            run = await s.sign_in(self.badge, sc.TRAINEE_PASSWORD)
            self.signed_in = "login.user" not in run.widgets
            if not self.signed_in:
                self.log.append(f"sign-in refused: {run.texts[:3]} {run.errors}")
        elif "my_training.open.sample-module" in page.widgets:
            await self.think()
            run = await s.run(page_name="module")
        elif nxt := next((k for k in page.widgets if k.startswith("module.next.")), None):
            await self.think()
            run = await s.click(nxt)
        elif "quiz.start.sample-quiz" in page.widgets:
            run = await s.click("quiz.start.sample-quiz")
        elif submit := next((k for k in page.widgets if k.startswith("quiz.submit.")), None):
            run = await self.answer_or_submit(submit)
        elif any(t.startswith(ALREADY_PASSED) for t in page.texts):
            return True  # the submission in flight when the replica died was committed
        else:
            raise sc.AppError(f"unexpected page: {sorted(page.widgets)} {page.texts[:4]} {page.errors}")
        if sorted(run.widgets) == sorted(page.widgets) and not quiz_widgets(page):
            self.log.append(f"no change: {sorted(page.widgets)[:4]} {run.texts[:3]}")
        self.out.tally.add(run)
        return False

    async def answer_or_submit(self, submit: str) -> sc.PageRun:
        attempt = int(submit.rsplit(".", 1)[1])
        await self.think()
        for key, w in quiz_widgets(self.s.last).items():
            position = int(key.split(".")[2])
            have = self.saved.get(position, set())
            if w.kind == "radio" and w.label in self.single and self.single[w.label] not in have:
                self.log.append(f"choose {key}")
                run = await self.s.choose(key, self.single[w.label])
                self.saved[position] = {self.single[w.label]}
            elif w.kind == "checkbox" and w.label in self.multi and w.label not in have:
                self.log.append(f"tick {key}")
                run = await self.s.tick(key)
                self.saved.setdefault(position, set()).add(w.label)
            else:
                continue
            self.out.answering.add(self.badge)
            return run
        run = await self.s.click(submit)
        if not any(t.startswith(PASSED) for t in run.texts):
            raise sc.AppError(f"submission not acknowledged: {run.texts[:8]} {run.errors} saved {self.saved}")
        self.out.acked.setdefault(self.badge, []).append(attempt)
        return run

    async def go(self) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.pace.arrival))
        self.out.tally.add(await self.s.open())
        attempt: int | None = None
        for _ in range(60):  # bounded: about 12 steps, plus repeats after a reconnect
            page = self.s.last
            attempt = next((int(k.rsplit(".", 1)[1]) for k in page.widgets if k.startswith("quiz.submit.")), attempt)
            if self.badge in self.out.acked:
                return
            try:
                if await self.step():
                    if attempt is None:
                        raise sc.AppError("already passed, but no attempt was ever shown")
                    self.out.acked.setdefault(self.badge, []).append(attempt)
                    return
            except LOST_LINK as exc:
                self.log.append(f"lost link {type(exc).__name__} on {sorted(quiz_widgets(page))[:1]}, saved {self.saved}")
                await self.reconnect()
                self.log.append(f"reconnected, shown {shown_answers(self.s.last)}")
        raise sc.AppError("no submission after 60 steps")


async def trainee(url: str, badge: str, catalog: object, out: Run, rng: random.Random, pace: Pace) -> None:
    t = Trainee(url, badge, catalog, out, rng, pace)
    try:
        await t.go()
    except Exception as exc:  # noqa: BLE001 - every failure is an error in the figures
        out.tally.errors.append(f"{badge}: {exc!r} (reconnected: {badge in out.reconnected}; log {t.log})")
    finally:
        await t.s.close_quietly()


# --- the run ----------------------------------------------------------------------------------

def websockets_to(port: int) -> int:
    """Established connections into a replica's port (from /proc/net/tcp): nginx's upstream
    side of each open websocket, plus a few idle keepalive connections."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


@dataclass
class Kill:
    at: float = 0.0
    answering: int = 0  # trainees with a saved answer at that moment
    connections: tuple[int, int] = (0, 0)  # open connections to (the killed replica, the other)
    cpu: float = 0.0  # the killed replica's CPU seconds just before


async def drive(url: str, badges: list[str], catalog: object, replicas: list[sc.RunningApp],
                pace: Pace) -> tuple[Run, float, Kill, sc.RunningApp]:
    """Run every trainee; SIGKILL the replica serving more of them once enough have saved answers."""
    out = Run()
    rng = random.Random(2024)
    tasks = [asyncio.create_task(trainee(url, b, catalog, out, random.Random(rng.random()), pace)) for b in badges]
    t0 = time.perf_counter()
    while len(out.answering) < pace.kill_when * len(badges) and not all(t.done() for t in tasks):
        await asyncio.sleep(0.05)
    ports = [int(r.url.rsplit(":", 1)[1]) for r in replicas]
    open_to = [websockets_to(p) for p in ports]
    victim = replicas[0] if open_to[0] >= open_to[1] else replicas[1]
    i = replicas.index(victim)
    kill = Kill(cpu=sc.cpu_seconds(victim.proc.pid), connections=(open_to[i], open_to[1 - i]))
    victim.proc.send_signal(signal.SIGKILL)
    kill.at, kill.answering = time.perf_counter() - t0, len(out.answering)
    _, late = await asyncio.wait(tasks, timeout=max(1.0, DEADLINE_SECONDS - (time.perf_counter() - t0)))
    for task in late:  # bounded: a trainee still going at the deadline is an error, not a hang
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    out.tally.errors += [f"{len(late)} trainee(s) still going after {DEADLINE_SECONDS} s"] if late else []
    return out, time.perf_counter() - t0, kill, victim


@dataclass
class Checked:
    """The database against what the trainees were told."""

    lost_submissions: int
    duplicated_submissions: int
    lost_answers: int
    verified: bool


def check_database(url: str, out: Run, catalog: object, trainees: int) -> Checked:
    from sqlalchemy import text

    from db.engine import make_engine, read_session

    engine = make_engine(url)
    with read_session(engine) as s:
        attempts = s.execute(text("SELECT o.badge_number, a.id FROM attempt a JOIN officer o ON o.id = a.officer_id "
                                  "WHERE a.status = 'submitted'")).all()
        answers = s.execute(text("SELECT a.id, n.position, n.question_id, n.chosen FROM answer n "
                                 "JOIN attempt a ON a.id = n.attempt_id WHERE a.status = 'submitted'")).all()
    engine.dispose()
    submitted: dict[str, list[int]] = {}
    for badge, attempt_id in attempts:
        submitted.setdefault(badge, []).append(attempt_id)
    lost = sum(1 for b, ids in out.acked.items() if ids[0] not in submitted.get(b, [])) + trainees - len(out.acked)
    duplicated = (sum(len(ids) - 1 for ids in submitted.values()) + sum(1 for b in submitted if b not in out.acked)
                  + sum(len(ids) - 1 for ids in out.acked.values()))
    texts = {q.id: {o.id: o.text for o in q.options} for q in catalog.questions.values()}  # type: ignore[attr-defined]
    graded = {(a, p): {texts[q][o] for o in json.loads(c)} for a, p, q, c in answers}
    lost_answers = 0
    for badge, saved in out.saved.items():
        attempt = (out.acked.get(badge) or submitted.get(badge) or [None])[0]
        lost_answers += sum(1 for position, chosen in saved.items()
                            if attempt is None or graded.get((attempt, position)) != chosen)
    return Checked(lost, duplicated, lost_answers, verify_records(url))


def verify_records(url: str) -> bool:
    """The command an operator runs after a restore: chain, seals, re-grades."""
    env = dict(os.environ, DATABASE_URL=url)
    done = subprocess.run([sys.executable, "-m", "training", "verify-records"], cwd=sc.ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        print(f"verify-records: {done.stdout[-1000:]}{done.stderr[-1000:]}", file=sys.stderr)
    return done.returncode == 0


@dataclass
class Result:
    out: Run
    checked: Checked
    figures: dict[str, object]

    @property
    def ok(self) -> bool:
        """Everything the issue asks: no errors, nothing lost or doubled, the kill reached trainees
        and every one of them who had signed in came back signed in."""
        out, c = self.out, self.checked
        return (not out.tally.errors and not out.lost_shown and not c.lost_answers and not c.lost_submissions
                and not c.duplicated_submissions and c.verified and bool(out.reconnected_signed_in)
                and out.signed_in_after == out.reconnected_signed_in)


def run_replicas(trainees: int, work: Path, pace: Pace = Pace()) -> Result:
    """The whole exercise in `work` (an empty temp dir)."""
    from training.content import load_catalog
    from training.evidence.keys import KEY_FILE_ENV, load_keyring

    os.environ[KEY_FILE_ENV] = str(work / "evidence.key")  # one evidence key, shared by both replicas
    os.environ["FIPP_TOTP_KEY_FILE"] = str(work / "totp.key")
    load_keyring(create=True)
    catalog = load_catalog(sc.FIXTURE_CONTENT)
    url, name = create_database()
    replicas: list[sc.RunningApp] = []
    proxy = None
    try:
        badges = sc.seed_trainees(url, trainees)
        for i in range(2):
            (work / f"r{i}").mkdir()
            replicas.append(sc.start_app(work / f"r{i}", database_url=url))
        proxy = start_nginx(work, [int(r.url.rsplit(":", 1)[1]) for r in replicas])
        cpu0 = [sc.cpu_seconds(r.proc.pid) for r in replicas]
        nginx_cpu0 = tree_cpu_seconds(proxy.proc.pid)
        out, wall, kill, victim = asyncio.run(drive(proxy.url, badges, catalog, replicas, pace))
        survivor = next(r for r in replicas if r is not victim)
        server_cpu = (kill.cpu - cpu0[replicas.index(victim)]
                      + sc.cpu_seconds(survivor.proc.pid) - cpu0[replicas.index(survivor)])
        nginx_cpu = tree_cpu_seconds(proxy.proc.pid) - nginx_cpu0
        victim.proc.wait()
        checked = check_database(url, out, catalog, trainees)
    finally:
        if proxy is not None:
            stop_nginx(proxy)
        for app in replicas:
            if app.proc.poll() is None:
                sc.stop_app(app)
        drop_database(name)
    for error in out.tally.errors[:5]:
        print(f"error: {error[-1500:]}", file=sys.stderr)
    runs = len(out.tally.seconds)
    figures: dict[str, object] = {
        "trainees": trainees,
        "replicas": 2,
        "proxy": f"nginx, upstream and location from {DEPLOY_CONF.relative_to(sc.ROOT)}",
        "content": "tests/fixtures/content (4-question quiz)",
        "reconnect": pace.reconnect,
        "killed_replica": (f"the one with {kill.connections[0]} of {sum(kill.connections)} open connections, "
                           f"SIGKILL at {kill.at:.1f} s of {wall:.1f} s, when {kill.answering} trainees "
                           f"had saved answers"),
        "page_runs": runs,
        "reconnected_trainees": (f"{len(out.reconnected)} ({len(out.reconnected - out.resumed)} reloaded the page, "
                                 f"{len(out.resumed)} resumed with the widget values they held)"),
        "still_signed_in_after_reconnect": f"{len(out.signed_in_after)} of {len(out.reconnected_signed_in)}",
        "submissions_acknowledged": sum(len(v) for v in out.acked.values()),
        "errors": len(out.tally.errors),
        "lost_answers_on_reconnect": out.lost_shown,
        "lost_answers_in_database": checked.lost_answers,
        "lost_submissions": checked.lost_submissions,
        "duplicated_submissions": checked.duplicated_submissions,
        "records_verify": "ok" if checked.verified else "FAILED",
        "p50_page_run_ms": f"{1000 * sc.percentile(out.tally.seconds, 50):.0f}",
        "p95_page_run_ms": f"{1000 * sc.percentile(out.tally.seconds, 95):.0f}",
        "server_cpu_ms_per_page_run": f"{1000 * server_cpu / max(1, runs):.1f}",
        "nginx_cpu_ms_per_page_run": f"{1000 * nginx_cpu / max(1, runs):.2f}",
    }
    return Result(out, checked, figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--trainees", type=int, default=TRAINEES, help=f"how many (default {TRAINEES})")
    parser.add_argument("--reconnect", choices=("both", "reload", "browser"), default="both",
                        help="after a dropped websocket: open the page again (reload), resume as "
                             "Streamlit's page does, sending back the widget values it holds (browser), "
                             "or every other trainee each (both, the default)")
    args = parser.parse_args(argv)
    if args.trainees < 2:
        parser.error("--trainees must be at least 2")
    if not NGINX.exists():
        print(f"{NGINX} not found: apt-get install nginx", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fipp-replicas-") as tmp:
        result = run_replicas(args.trainees, Path(tmp), Pace(reconnect=args.reconnect))
    for name, value in result.figures.items():
        print(f"{name}: {value}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
