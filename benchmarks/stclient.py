"""A headless Streamlit client: speaks the browser's own protocol to a real `streamlit run`.

The browser talks to Streamlit over one websocket at /_stcore/stream, sending protobuf
BackMsg (a `rerun_script` carrying the widget values the user changed) and receiving
ForwardMsg (new_session, delta elements, script_finished). This client does the same with
the protobuf classes that ship inside the streamlit package and the `websockets` library
that streamlit itself depends on, so the load scripts add no dependency and need no agent
endpoint switched on. One page run = one BackMsg until the run's final script_finished
(an `st.rerun()` inside the run ends it early; we wait for the run that finishes).

Also here: starting and stopping `streamlit run` on a free loopback port, and seeding
trainees directly through the services (one argon2 hash shared by all of them).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
FRAGMENT = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
TRAINEE_PASSWORD = "load test pass phrase for trainees"


class AppError(RuntimeError):
    """The app showed an exception or an error where none was expected."""


@dataclass
class Widget:
    kind: str
    id: str
    label: str
    options: tuple[str, ...] = ()
    set_value: WidgetState | None = None  # a value the server set (session state) for the browser to show
    fragment_id: str = ""  # drawn inside an st.fragment: changing it reruns only that fragment
    default: int | bool | None = None  # what the page shows before the user touches it (radio: an index)


@dataclass
class PageRun:
    seconds: float
    widgets: dict[str, Widget] = field(default_factory=dict)  # by user key (the id's suffix)
    texts: list[str] = field(default_factory=list)  # markdown, alerts, headings: what a reader sees
    errors: list[str] = field(default_factory=list)  # st.exception and st.error boxes


def _collect(msg: ForwardMsg, run: PageRun) -> None:
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return
    el = msg.delta.new_element
    kind = el.WhichOneof("type")
    if kind is None:
        return
    sub = getattr(el, kind)
    if kind == "exception":
        run.errors.append(f"exception: {sub.type}: {sub.message}")
        return
    if kind == "alert":
        run.texts.append(sub.body)
        if sub.format == sub.ERROR:
            run.errors.append(f"error box: {sub.body}")
        return
    if kind in ("markdown", "heading", "text"):
        run.texts.append(getattr(sub, "body", ""))
        return
    wid = getattr(sub, "id", "")
    if wid.startswith("$$ID-"):
        key = wid.split("-", 2)[2]
        options = tuple(getattr(sub, "options", ()))
        widget = Widget(kind, wid, getattr(sub, "label", ""), options, fragment_id=msg.delta.fragment_id)
        if kind == "checkbox":
            widget.default = sub.default
        elif kind == "radio" and sub.HasField("default"):
            widget.default = sub.default
        if getattr(sub, "set_value", False):
            if kind == "checkbox":
                widget.set_value = WidgetState(bool_value=sub.value)
            elif kind in ("radio", "selectbox"):
                widget.set_value = WidgetState(string_value=sub.raw_value)
            elif kind == "text_input":
                widget.set_value = WidgetState(string_value=sub.value)
        run.widgets[key] = widget


class Session:
    """One browser tab: a websocket and the page runs it asks for."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
        # Like a browser: the cookies the app set (the browser key, then the session cookie after
        # signing in) go with the websocket handshake, which is where the app reads them.
        self.cookies: dict[str, str] = {}
        self.redirect: str | None = None  # an auth_redirect the last run sent (sign-in, sign-out)
        self.ws: ClientConnection | None = None
        self.page_name = ""
        self.page_script_hash = ""  # the page the last run showed (navigation), sent back as the browser does
        self.last: PageRun = PageRun(0.0)
        # Like the browser, we hold every widget value the user set and send them all with
        # each rerun; a widget's id changes when its arguments do, so values are kept by key.
        self.values: dict[str, WidgetState] = {}

    def _http_get(self, path: str) -> None:
        """One GET without following redirects, keeping any cookies it sets (as the browser would)."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect)
        request = urllib.request.Request(self.base_url + path, headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Sec-Fetch-Site": "same-origin"})
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:  # a 303 arrives as an "error" once redirects are not followed
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or 'expires=Thu, 01 Jan 1970' in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    async def _connect(self) -> None:
        self.ws = await connect(self.ws_url, subprotocols=["streamlit"], max_size=None,  # type: ignore[list-item]
                                open_timeout=30, ping_interval=None,
                                additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())})

    async def open(self, path: str = "/") -> PageRun:
        await asyncio.to_thread(self._http_get, path)  # the page itself: sets the browser-key cookie
        await self._connect()
        self.values, self.last, self.page_script_hash = {}, PageRun(0.0), ""
        return await self.run()

    async def resume(self) -> PageRun:
        """What Streamlit's page does when its websocket drops: a new websocket (the same cookies,
        no page load), then a rerun of the page it shows with every widget value it holds."""
        await self._connect()
        return await self.run()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def close_quietly(self) -> None:
        """Close a websocket that may already be gone (its server killed), as a browser drops it."""
        try:
            await self.close()
        except Exception:  # noqa: BLE001 - a dead connection has nothing left to close
            self.ws = None

    async def run(self, *states: WidgetState, page_name: str | None = None, query: str = "",
                  timeout: float = 60, fragment_id: str = "") -> PageRun:
        """Send one rerun (the widget values that changed) and wait for the run to finish.

        Like the browser, a change to a widget inside an st.fragment asks for that fragment's
        rerun only; its widgets then replace theirs in what the page shows (self.last)."""
        assert self.ws is not None, "open() first"
        same_page = page_name is None or page_name == self.page_name
        if page_name is not None:
            self.page_name = page_name
        back = BackMsg()
        back.rerun_script.query_string = query
        back.rerun_script.page_name = self.page_name
        if same_page and self.page_script_hash:
            back.rerun_script.page_script_hash = self.page_script_hash
        if fragment_id:
            back.rerun_script.fragment_id = fragment_id
        for key, value in self.values.items():
            widget = self.last.widgets.get(key)
            if widget is not None and same_page:
                state = WidgetState()
                state.CopyFrom(value)
                state.id = widget.id
                back.rerun_script.widget_states.widgets.append(state)
        back.rerun_script.widget_states.widgets.extend(states)
        run = PageRun(0.0)
        started = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        deadline = started + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            msg = ForwardMsg()
            msg.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            kind = msg.WhichOneof("type")
            if kind == "auth_redirect":
                self.redirect = msg.auth_redirect.url
            elif kind == "new_session":  # a (re)run starts: what counts is the last one
                run = PageRun(0.0)
            elif kind == "navigation":  # st.navigation names the page this run shows
                self.page_script_hash = msg.navigation.page_script_hash
                # ... and the browser's address follows it, so the next rerun asks for this page
                # (a run that asked for another page and was cut off must not leave a stale name).
                shown = [pg for pg in msg.navigation.app_pages if pg.page_script_hash == self.page_script_hash]
                if shown:
                    self.page_name = shown[0].url_pathname
            elif kind == "script_finished":
                if msg.script_finished in (FINISHED, FRAGMENT):
                    run.seconds = time.perf_counter() - started
                    if msg.script_finished == FRAGMENT:
                        run.widgets = {**self.last.widgets, **run.widgets}
                    self.last = run
                    for key, widget in run.widgets.items():
                        if widget.set_value is not None:
                            self.values[key] = widget.set_value
                    return run
                if msg.script_finished != EARLY:
                    raise AppError(f"script finished with status {msg.script_finished}")
            else:
                _collect(msg, run)

    def widget(self, key: str) -> Widget:
        try:
            return self.last.widgets[key]
        except KeyError:
            raise AppError(f"no widget {key!r} on the page; have {sorted(self.last.widgets)}; "
                           f"texts {self.last.texts[:5]}; errors {self.last.errors}") from None

    async def click(self, key: str) -> PageRun:
        w = self.widget(key)
        return await self.run(WidgetState(id=w.id, trigger_value=True), fragment_id=w.fragment_id)

    async def choose(self, key: str, label: str) -> PageRun:
        w = self.widget(key)
        self.values[key] = WidgetState(string_value=label)
        return await self.run(fragment_id=w.fragment_id)

    async def tick(self, key: str, value: bool = True) -> PageRun:
        w = self.widget(key)
        self.values[key] = WidgetState(bool_value=value)
        return await self.run(fragment_id=w.fragment_id)

    async def sign_in(self, login: str, password: str) -> PageRun:
        self.widget("login.user"), self.widget("login.password")
        self.values["login.user"] = WidgetState(string_value=login)
        self.values["login.password"] = WidgetState(string_value=password)
        self.redirect = None
        started = time.perf_counter()
        run = await self.run(WidgetState(id=self._submit_button().id, trigger_value=True))
        if self.redirect is None:
            return run  # refused: the page says why
        # What the browser does next: follow the hand-off to /session/start (which sets the session
        # cookie), then load the page again, which opens a new websocket carrying the cookie.
        await asyncio.to_thread(self._http_get, self.redirect)
        await self.close()
        run = await self.open()
        run.seconds = time.perf_counter() - started
        return run

    def _submit_button(self) -> Widget:
        for key, w in self.last.widgets.items():
            if w.kind == "button" and "FormSubmitter" in key:
                return w
        # form submit buttons have no user key; their id ends with the form's key
        for w in self.last.widgets.values():
            if w.kind == "button":
                return w
        raise AppError("no submit button on the page")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningApp:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path


def start_app(workdir: Path, *, script: Path | None = None, database_url: str | None = None,
              content_root: Path | None = FIXTURE_CONTENT, options: dict[str, str] | None = None) -> RunningApp:
    """`streamlit run` on a free loopback port; returns once /_stcore/health answers."""
    port = free_port()
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'app.db'}"
    # Every simulated officer comes from 127.0.0.1: lift the per-address sign-in throttle, which
    # would otherwise (rightly) refuse the 31st sign-in from one address in 5 minutes.
    env.setdefault("FIPP_SIGNIN_PER_ADDRESS", "100000")
    if content_root is not None:
        env["FIPP_CONTENT_ROOT"] = str(content_root)
    args = [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "streamlit_app.py"),
            "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false"]
    for name, value in (options or {}).items():
        args += [f"--{name}", value]
    log = workdir / f"streamlit-{port}.log"
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if wait_healthy(url, proc, seconds=60):
        return RunningApp(url, proc, log)
    proc.kill()
    raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")


def wait_healthy(url: str, proc: subprocess.Popen[bytes], *, seconds: float) -> bool:
    """True once `url`/_stcore/health answers 200; False if `proc` exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    return False


def stop_app(app: RunningApp) -> None:
    app.proc.terminate()
    try:
        app.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        app.proc.kill()
        app.proc.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def seed_trainees(database_url: str, count: int) -> list[str]:
    """An admin, one department and `count` trainees; returns their badge numbers.

    Goes straight through the services, hashing the shared password once: hashing 100
    argon2 passwords one by one would take most of a minute and measure nothing.
    """
    from db.engine import make_engine, write_session
    from db.migrate import upgrade
    from db.models import Officer
    from training.administration.departments import create_department
    from training.administration.officers import create_officer
    from training.identity.passwords import hash_password
    from training.identity.setup import create_first_admin
    from training.settings import Settings

    engine = make_engine(database_url)
    upgrade(engine)
    shared = hash_password(TRAINEE_PASSWORD)
    badges = [f"LOAD-{i:04d}" for i in range(count)]
    with write_session(engine) as s:
        admin = create_first_admin(session=s, name="Load Admin", email="load-admin@example.org", badge_number="ADM-1",
                                   password="administrator pass phrase for load", settings=Settings())
        dept = create_department(session=s, actor=admin, name="Load Test Police", code="LTP")
        for badge in badges:
            officer = create_officer(session=s, actor=admin, name=f"Trainee {badge}", email=f"{badge.lower()}@example.org",
                                     badge_number=badge, department_id=dept.id, role="trainee", settings=Settings())
            officer.password_hash = shared
            s.add(officer)
        s.flush()
        assert s.get(Officer, 1) is not None
    engine.dispose()
    return badges


# What a trainee does, step by step, as page runs.

async def sign_in_and_read(s: Session, badge: str) -> None:
    """Open the app, sign in, open the module and read both lessons: ready to start the quiz."""
    await s.open()
    run = await s.sign_in(badge, TRAINEE_PASSWORD)
    if "my_training.open.sample-module" not in run.widgets:
        raise AppError(f"{badge}: sign-in did not reach My training: {run.texts[:3]} {run.errors}")
    await s.run(page_name="module")
    for _ in range(2):
        nxt = next((k for k in s.last.widgets if k.startswith("module.next.")), None)
        if nxt is None:
            break
        await s.click(nxt)


def correct_choices(catalog: object) -> tuple[dict[str, str], set[str]]:
    """Stem -> the correct option text (single, true/false); the correct option texts of multi questions."""
    single: dict[str, str] = {}
    multi: set[str] = set()
    for q in catalog.questions.values():  # type: ignore[attr-defined]
        right = [o.text for o in q.options if o.correct]
        if q.type == "multi":
            multi.update(right)
        else:
            single[q.stem] = right[0]
    return single, multi


async def answer_and_submit(s: Session, catalog: object, think: float = 0.0) -> int:
    """Answer every question correctly (one page run per choice), submit, and return the
    attempt id once the app has shown the result: that is the acknowledgement."""
    single, multi = correct_choices(catalog)
    keys = [(k, w) for k, w in s.last.widgets.items() if k.startswith("quiz.") and not k.startswith("quiz.submit.")]
    submit = next((k for k in s.last.widgets if k.startswith("quiz.submit.")), None)
    if submit is None:
        raise AppError(f"no open quiz on the page: {s.last.texts[:3]} {s.last.errors}")
    for key, w in keys:
        if w.kind == "radio" and w.label in single:
            await s.choose(key, single[w.label])
        elif w.kind == "checkbox" and w.label in multi:
            await s.tick(key)
        else:
            continue
        if think:
            await asyncio.sleep(think)
    run = await s.click(submit)
    if not any(t.startswith("Passed: you scored 100%") for t in run.texts):
        raise AppError(f"submission not acknowledged: {run.texts} {run.errors}")
    return int(submit.rsplit(".", 1)[1])


@dataclass
class Tally:
    """Page-run latencies and errors gathered across many simulated trainees."""

    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, run: PageRun) -> None:
        self.seconds.append(run.seconds)
        self.errors.extend(run.errors)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


async def browse(url: str, badge: str, catalog: object, *, until: float, think: float, tally: Tally,
                 runs_per_session: int = 30) -> None:
    """A trainee who passed the quiz and keeps coming back: My training, a lesson, My records
    (which builds a PDF certificate each run), signing in afresh every `runs_per_session` runs."""
    s = Session(url)
    await sign_in_and_read(s, badge)
    tally.add(await s.click("quiz.start.sample-quiz"))
    await answer_and_submit(s, catalog)
    n = 0
    while time.monotonic() < until:
        for page in ("my-training", "module", "my-records"):
            tally.add(await s.run(page_name=page))
            n += 1
            await asyncio.sleep(think)
        if n >= runs_per_session and time.monotonic() < until:
            await s.close()
            s = Session(url)
            tally.add(await s.open())
            tally.add(await s.sign_in(badge, TRAINEE_PASSWORD))
            n = 0
    await s.close()
