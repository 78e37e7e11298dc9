"""xAPI: statements are written with the records they describe and reach a real LRS once, however often sent.

The LRS is Ralph (PyPI `ralph-malph`, file-system backend), which validates each statement
against its xAPI models. It runs from its own venv (.venv-lrs, made by scripts/test) because
it pins an older Starlette than Streamlit needs.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import select

from db.engine import read_session, write_session
from db.models import XapiStatement
from tests.conftest import ROOT
from tests.quiz_helpers import pass_quiz
from training import quizzes
from training.commands import export_xapi
from training.xapi import VERBS, LrsConfig, deliver_pending, statement_id, xapi_config

RALPH = ROOT / ".venv-lrs" / "bin" / "python"
RUN_RALPH = ROOT / "tests" / "fixtures" / "lrs" / "run_ralph.py"
USER, PASSWORD = "fipp", "fipp-test-lrs-password"
# bcrypt (cost 4, test only) of PASSWORD, in Ralph's auth-file format; `ralph auth` makes the same.
AUTH = [{"agent": {"account": {"homePage": "https://fipp-academy.invalid", "name": USER}, "objectType": "Agent"},
         "scopes": ["all"], "username": USER,
         "hash": "$2b$04$6bentnq2M6ZTivqCJ8hUoeKGtAHvOuEIHqCNgsVxWtyPD/4rHHZU2"}]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LrsConfig]:
    if not RALPH.exists():
        if os.environ.get("CI"):  # CI runs scripts/test, which makes it: a missing LRS there is a defect
            pytest.fail("no .venv-lrs in CI: scripts/test should have made it from requirements-lrs.txt")
        pytest.skip("no .venv-lrs: scripts/test makes it from requirements-lrs.txt")
    folder = tmp_path_factory.mktemp("lrs")
    (folder / "auth.json").write_text(json.dumps(AUTH), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "RALPH_AUTH_FILE": str(folder / "auth.json"), "RALPH_APP_DIR": str(folder),
           "RALPH_RUNSERVER_BACKEND": "fs"}
    proc = subprocess.Popen([str(RALPH), str(RUN_RALPH), "runserver", "-b", "fs", "--fs-default-directory-path", str(folder / "data"),
                             "-h", "127.0.0.1", "-p", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the local LRS (ralph runserver) did not start")
            time.sleep(0.2)
    try:
        yield LrsConfig(url=f"http://127.0.0.1:{port}/xAPI/", user=USER, password=PASSWORD)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def stored_in_lrs(lrs: LrsConfig) -> dict[str, dict]:
    req = urllib.request.Request(lrs.url + "statements?limit=500", headers={
        "X-Experience-API-Version": "1.0.3",
        "Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return {s["id"]: s for s in json.loads(resp.read())["statements"]}


def fail_quiz(engine, who, catalog) -> quizzes.AttemptResult:
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=who, catalog=catalog, quiz_id="sample-quiz")
    with write_session(engine) as s:
        return quizzes.submit_attempt(session=s, actor=who, catalog=catalog, attempt_id=attempt.attempt_id)


def outbox(engine) -> list[XapiStatement]:
    with read_session(engine) as s:
        return list(s.exec(select(XapiStatement).order_by(XapiStatement.created_at)))


def test_each_attempt_and_completion_is_written_with_its_record(engine, people, catalog):
    failed = fail_quiz(engine, people["north_trainee"], catalog)
    passed = pass_quiz(engine, people["south_trainee"], catalog)
    rows = outbox(engine)
    by_verb = {(r.verb, r.attempt_id): json.loads(r.statement) for r in rows}
    assert set(by_verb) == {("attempted", failed.attempt_id), ("failed", failed.attempt_id),
                            ("attempted", passed.attempt_id), ("passed", passed.attempt_id),
                            ("completed", passed.attempt_id)}
    done = by_verb[("completed", passed.attempt_id)]
    assert done["verb"]["id"] == VERBS["completed"] and done["id"] == statement_id(xapi_config(), "completed",
                                                                                     passed.attempt_id)
    version = next(v for k, v in done["object"]["definition"]["extensions"].items() if k.endswith("module-version"))
    assert version == catalog.modules["sample-module"].version_hash
    assert by_verb[("failed", failed.attempt_id)]["result"]["success"] is False
    assert done["actor"]["account"]["name"] == f"officer-{people['south_trainee'].officer_id}"


def test_delivery_reaches_the_lrs_and_a_resend_adds_nothing(engine, people, catalog, lrs, monkeypatch):
    # Statement ids derive from the deployment's base IRI and the attempt: each run of this test
    # (one per backend, same attempt ids) is a deployment of its own sharing the one LRS.
    monkeypatch.setenv("FIPP_XAPI_BASE", f"https://{uuid.uuid4().hex[:12]}.fipp.test")
    pass_quiz(engine, people["north_trainee"], catalog)
    before = stored_in_lrs(lrs)
    first = deliver_pending(engine=engine, lrs=lrs)
    ours = {r.id for r in outbox(engine)}
    after = stored_in_lrs(lrs)
    assert first.delivered == len(ours) == 3 and first.waiting == 0, [r.last_error for r in outbox(engine)]
    assert ours <= set(after) and len(after) == len(before) + len(ours)
    with write_session(engine) as s:  # as if the LRS's reply had been lost: every row goes out again
        s.execute(update(XapiStatement).values(delivered_at=None))
    again = deliver_pending(engine=engine, lrs=lrs)
    assert again.delivered == 3 and len(stored_in_lrs(lrs)) == len(after)


def test_an_unreachable_lrs_is_retried_later(engine, people, catalog):
    pass_quiz(engine, people["north_trainee"], catalog)
    down = LrsConfig(url=f"http://127.0.0.1:{_free_port()}/xAPI/", timeout_s=2)
    report = deliver_pending(engine=engine, lrs=down)
    rows = outbox(engine)
    assert report.failed == 3 and report.delivered == 0
    assert all(r.tries == 1 and r.next_try_at is not None and r.delivered_at is None for r in rows)
    assert deliver_pending(engine=engine, lrs=down).failed == 0  # not due again yet: nothing is tried


def test_export_writes_every_statement_as_json_lines(engine, people, catalog, database_url, tmp_path: Path,
                                                     monkeypatch, capsys):
    pass_quiz(engine, people["north_trainee"], catalog)
    monkeypatch.setenv("DATABASE_URL", database_url)
    target = tmp_path / "statements.jsonl"
    assert export_xapi.run(export_xapi.argparse.Namespace(to=target, undelivered=False)) == 0
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert {s["id"] for s in lines} == {r.id for r in outbox(engine)} and len(lines) == 3
