"""Two replicas behind nginx on PostgreSQL; one is SIGKILLed while trainees are in their quiz.

The small version of benchmarks/load_replicas.py (the same code, six trainees, short think
times): the trainees whose websocket dropped reconnect through the proxy with their cookies,
arrive signed in, find every answer the app had acknowledged still chosen, and submit once.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import _PG_REASON

pytestmark = [pytest.mark.faults, pytest.mark.timeout(240)]
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def load_replicas(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    module = importlib.import_module("load_replicas")
    if not module.NGINX.exists():
        pytest.skip(f"nginx is not installed ({module.NGINX}): apt-get install nginx")
    if _PG_REASON:
        pytest.skip(_PG_REASON)
    for name in ("FIPP_EVIDENCE_KEY_FILE", "FIPP_TOTP_KEY_FILE"):  # run_replicas points these at its temp dir
        monkeypatch.setenv(name, "")
    return module


def test_trainees_of_a_killed_replica_come_back_signed_in_with_their_answers(load_replicas: ModuleType,
                                                                           tmp_path: Path) -> None:
    pace = load_replicas.Pace(arrival=2.0, think=(0.3, 1.0), kill_when=0.5)
    result = load_replicas.run_replicas(6, tmp_path, pace)
    out, checked = result.out, result.checked
    assert out.reconnected_signed_in, "the kill reached no signed-in trainee: nothing was tested"
    assert out.signed_in_after == out.reconnected_signed_in
    assert out.tally.errors == []
    assert out.lost_shown == 0 and checked.lost_answers == 0
    assert sorted(out.acked) == [f"LOAD-{i:04d}" for i in range(6)]
    assert all(len(ids) == 1 for ids in out.acked.values())
    assert (checked.lost_submissions, checked.duplicated_submissions, checked.verified) == (0, 0, True)
