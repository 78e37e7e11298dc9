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
        yield b
        b.close()


def wait_idle(page: object, settle_ms: int = 300) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_timeout(settle_ms)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(150)  # type: ignore[attr-defined]


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
