"""A real `streamlit run` on a free port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("FIPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


E2E = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is marked e2e, so `-m "not e2e"` leaves out the browser tests."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class App:
    def __init__(self, url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.url, self.proc, self.log = url, proc, log


def start_app(tmp: Path, *, content_root: Path | None = None, extra_env: dict[str, str] | None = None,
              port: int | None = None, extra_args: list[str] | None = None) -> App:
    port = port or free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp / 'e2e.db'}")
    if content_root is not None:
        env["FIPP_CONTENT_ROOT"] = str(content_root)
    env.update(extra_env or {})
    log = tmp / "streamlit.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *(extra_args or [])],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return App(url, proc, log)
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")


def stop_app(app: App) -> None:
    app.proc.terminate()
    try:
        app.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        app.proc.kill()


@pytest.fixture
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"Chromium not installed at {CHROMIUM}; .ci/run installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield _WatchedBrowser(b)
        b.close()


# Installed in every page before Streamlit's own scripts. It reads Streamlit's websocket itself,
# not the DOM: React may fold a short run into one render, so the app root's run-state attribute
# can skip "running" altogether (an earlier wait_idle that watched it hung). Top-level protobuf
# fields only: BackMsg field 11 is rerun_script; ForwardMsg field 4 is new_session (a run, or a
# fragment run, has started) and field 6 is script_finished (2 = stopped early for a rerun, so
# another run follows; 0, 1 and 3 end the run). A press is a pointerdown or keydown.
RUN_WATCH = """
(() => {
  const w = window.__fippRuns = {presses: 0, pressAt: -1, requests: 0, requestAt: -1, startedFor: -1,
                                 doneFor: -1, log: []};
  const note = (what) => { w.log.push([Math.round(performance.now()), what]); if (w.log.length > 60) w.log.shift(); };
  const press = () => { w.presses += 1; w.pressAt = performance.now(); };
  window.addEventListener('pointerdown', press, true);
  window.addEventListener('keydown', press, true);
  const fields = (bytes) => {  // top-level field number -> varint value (or true)
    const out = {}; let i = 0;
    const varint = () => { let v = 0, m = 1, b; do { b = bytes[i++]; v += (b & 0x7f) * m; m *= 128; } while (b & 0x80); return v; };
    while (i < bytes.length) {
      const key = varint(), num = Math.floor(key / 8), type = key % 8;
      if (type === 0) out[num] = varint();
      else if (type === 2) { const n = varint(); i += n; out[num] = true; }
      else if (type === 1) { i += 8; out[num] = true; }
      else if (type === 5) { i += 4; out[num] = true; }
      else break;
    }
    return out;
  };
  const asBytes = (data) => data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
  const Native = window.WebSocket;
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const bytes = asBytes(event.data);
        if (!bytes) return;
        const f = fields(bytes);
        if (4 in f) { w.startedFor = w.requests; note('started for ' + w.requests); }
        if (6 in f) { note('finished ' + f[6]); if (f[6] !== 2) w.doneFor = w.startedFor; }
      });
    }
    send(data) {
      const bytes = asBytes(data);
      if (bytes && 11 in fields(bytes)) { w.requests += 1; w.requestAt = performance.now(); note('request ' + w.requests); }
      return super.send(data);
    }
  }
  window.WebSocket = Watched;
})();
"""
# Idle: every rerun the page asked for has been answered by a run that started after the request
# and has finished, the last press was followed by a request (or NO_RERUN_MS passed without one:
# a press that changes nothing, such as choosing the option already chosen, causes no run), and
# the page shows it: no running status widget, no element left stale from an earlier run.
NO_RERUN_MS = 2_000
IDLE = """(noRerunMs) => {
  const w = window.__fippRuns;
  if (!w) return 'no watcher';
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute('data-test-script-state');
  const pressAnswered = w.requestAt >= w.pressAt || performance.now() - w.pressAt > noRerunMs;
  return w.requests > 0 && w.doneFor === w.requests && pressAnswered
    && (state === 'notRunning' || state === 'compilationError')
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]');
}"""


class _WatchedBrowser:
    """The Playwright browser, whose new pages and contexts carry RUN_WATCH."""

    def __init__(self, browser: object) -> None:
        self._browser = browser

    def new_page(self, **kwargs: object) -> object:
        page = self._browser.new_page(**kwargs)  # type: ignore[attr-defined]
        page.add_init_script(RUN_WATCH)
        return page

    def new_context(self, **kwargs: object) -> object:
        context = self._browser.new_context(**kwargs)  # type: ignore[attr-defined]
        context.add_init_script(RUN_WATCH)
        return context

    def __getattr__(self, name: str) -> object:
        return getattr(self._browser, name)


def wait_idle(page: object, timeout_ms: int = 30_000) -> None:
    """Wait until the script run the page last asked for (after a click or a key) has finished.

    Polls a condition (IDLE) instead of sleeping. Pages must come from the `browser` fixture,
    which installs the websocket watcher (RUN_WATCH) before Streamlit's scripts run.
    """
    if page.evaluate("() => !window.__fippRuns"):  # type: ignore[attr-defined]
        raise AssertionError("wait_idle needs a page made by the browser fixture (it installs RUN_WATCH)")
    try:
        page.wait_for_function(IDLE, arg=NO_RERUN_MS, timeout=timeout_ms)  # type: ignore[attr-defined]
    except Exception as exc:
        seen = page.evaluate("() => JSON.stringify(window.__fippRuns)")  # type: ignore[attr-defined]
        raise AssertionError(f"Streamlit did not become idle within {timeout_ms} ms: {seen}") from exc


def read_lessons_and_start_quiz(page: object) -> None:
    """From My training: open the first module, read both fixture lessons, start its quiz."""
    page.get_by_role("button", name="Open").first.click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Mark as read and continue").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.get_by_role("button", name="Mark as read and go to the quiz").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.get_by_role("button", name="Start the quiz").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Submit answers").wait_for()  # type: ignore[attr-defined]
    wait_idle(page)


def answer_every_question_correctly(page: object, catalog: object) -> None:
    """On an open quiz: tick every correct option of every question in the catalog, one run at a time."""
    for q in catalog.questions.values():  # type: ignore[attr-defined]
        box = page.locator("[data-testid='stLayoutWrapper']").filter(has_text=q.stem).last  # type: ignore[attr-defined]
        for option in q.options:
            if option.correct:
                box.get_by_text(option.text, exact=True).click()
                wait_idle(page)


def enrol_authenticator(page: object) -> object:
    """On the enrolment step (supervisors and administrators): read the key shown as text, type
    its current code, continue past the recovery codes. Returns the pyotp.TOTP for later codes."""
    import re

    import pyotp

    page.get_by_role("heading", name="Set up your authenticator app").wait_for()  # type: ignore[attr-defined]
    page.locator("[data-testid='stImage'] img").first.wait_for()  # type: ignore[attr-defined]  # the QR code
    totp = pyotp.TOTP(re.sub(r"\s", "", page.locator("code").first.inner_text()))  # type: ignore[attr-defined]
    page.get_by_label("6-digit code", exact=True).fill(totp.now())  # type: ignore[attr-defined]
    page.get_by_role("button", name="Verify").click()  # type: ignore[attr-defined]
    page.get_by_text("Save these recovery codes").wait_for()  # type: ignore[attr-defined]
    page.get_by_role("button", name="I have saved my recovery codes: continue").click()  # type: ignore[attr-defined]
    return totp
