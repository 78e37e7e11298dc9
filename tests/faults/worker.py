"""An app process in miniature, for the fault tests: the real write path, no UI.

    python tests/faults/worker.py submit DATABASE_URL officer:attempt,... [hold] [stall=N]
    python tests/faults/worker.py start DATABASE_URL officer,...

Each job runs in its own thread, as each browser session does in `streamlit run`, through
the same services (training.quizzes) inside the same transactions (db.engine.write_session,
BEGIN IMMEDIATE on SQLite). A line `ACK ...` goes to stdout only after the transaction has
committed, which is the moment the app would show the trainee their result; anything the
app would show as an error is printed as `ERR ...`. `start` starts (or resumes) the quiz and
saves an answer to every question, right for even officer ids and wrong for odd ones.
With `hold`, the process waits after DONE until it is killed or its stdin closes. With
`stall=N`, the Nth submission to get the write lock stops inside its transaction, after the
service has written everything and before the commit, and says `STALLED officer attempt`: a
kill then always lands on an uncommitted submission, with the others queued behind its lock.
"""

from __future__ import annotations

import random
import sys
import threading
from pathlib import Path

from db.engine import make_engine, read_session, write_session
from db.models import Officer
from training import quizzes
from training.content import load_catalog
from training.identity.principal import Principal, principal_of

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "tests" / "fixtures" / "content"
_print_lock = threading.Lock()


def say(line: str) -> None:
    with _print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def main(mode: str, url: str, jobs: str, *, hold: bool = False, stall: int = 0) -> None:
    engine = make_engine(url)
    catalog = load_catalog(CONTENT)
    gate = threading.Barrier(len(jobs.split(",")) + 1)
    entered = iter(range(1, len(jobs.split(",")) + 1))
    entered_lock = threading.Lock()

    def who(officer_id: int) -> Principal:
        with read_session(engine) as s:
            officer = s.get(Officer, officer_id)
            assert officer is not None
            return principal_of(officer)

    def submit(officer_id: int, attempt_id: int) -> None:
        actor = who(officer_id)
        gate.wait()
        try:
            with write_session(engine) as s:
                result = quizzes.submit_attempt(session=s, actor=actor, catalog=catalog, attempt_id=attempt_id)
                with entered_lock:
                    nth = next(entered)
                if nth == stall:
                    s.flush()  # every write sent to SQLite, inside the open transaction
                    say(f"STALLED {officer_id} {attempt_id}")
                    threading.Event().wait()  # until the SIGKILL
            say(f"ACK {officer_id} {result.attempt_id} {int(result.passed)} {result.submitted_at.isoformat()}")
        except Exception as exc:  # noqa: BLE001 - what a trainee would see as an error
            say(f"ERR {officer_id} {exc!r}")

    def start(officer_id: int) -> None:
        actor = who(officer_id)
        gate.wait()
        try:
            with write_session(engine) as s:
                attempt = quizzes.start_or_resume_attempt(session=s, actor=actor, catalog=catalog,
                                                          quiz_id="sample-quiz", rng=random.Random())
            right = officer_id % 2 == 0
            for q in attempt.questions:
                options = catalog.questions[q.question_id].options
                picks = [o.id for o in options if o.correct == right][: None if right else 1]
                with write_session(engine) as s:
                    quizzes.save_answer(session=s, actor=actor, attempt_id=attempt.attempt_id, position=q.position,
                                        chosen=picks)
            say(f"ACK {officer_id} {attempt.attempt_id}")
        except Exception as exc:  # noqa: BLE001 - what a trainee would see as an error
            say(f"ERR {officer_id} {exc!r}")

    threads = []
    for job in jobs.split(","):
        if mode == "submit":
            officer, attempt = job.split(":")
            threads.append(threading.Thread(target=submit, args=(int(officer), int(attempt))))
        else:
            threads.append(threading.Thread(target=start, args=(int(job),)))
    for t in threads:
        t.start()
    gate.wait()  # every job is in flight from here on
    say("READY")
    for t in threads:
        t.join()
    say("DONE")
    if hold:  # stay alive until killed (or the test goes away), so a kill always finds a live process
        sys.stdin.read()


def _options(args: list[str]) -> dict[str, object]:
    stalls = [int(o.split("=", 1)[1]) for o in args if o.startswith("stall=")]
    return {"hold": "hold" in args, "stall": stalls[0] if stalls else 0}


def serve() -> None:
    """`worker.py serve`: import the app once, then fork one fresh worker process per stdin line.

    Each line is the arguments of one run (`submit URL JOBS [stall=N]`). The server says
    `PID n` before the child starts work, and `EXIT n SIGNAL` once the child is gone (the test
    SIGKILLs it by pid). The child is a process of its own with its own SQLite connections,
    opened after the fork; only the interpreter start and the imports (about 2 s each on a busy
    machine, 20 rounds) are shared. It holds until killed, as with `hold`.
    """
    import os

    for line in sys.stdin:
        args = line.split()
        if not args:
            continue
        sys.stdout.flush()
        go_r, go_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: wait until the server has announced it, then run
            os.close(go_w)
            os.read(go_r, 1)
            try:
                main(*args[:3], **{**_options(args[3:]), "hold": False})  # type: ignore[arg-type]
                threading.Event().wait()  # hold: the SIGKILL always finds a live process
            finally:
                os._exit(1)
        os.close(go_r)
        say(f"PID {pid}")
        os.write(go_w, b"x")
        os.close(go_w)
        _, status = os.waitpid(pid, 0)
        say(f"EXIT {pid} {os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve()
    else:
        main(*sys.argv[1:4], **_options(sys.argv[4:]))  # type: ignore[arg-type]
