"""The benchmarks are not run by the suite (they take minutes and print figures); this only
checks that each one still imports, so a renamed module or function does not rot them."""

import importlib
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCHMARKS.glob("*.py")))
def test_benchmark_imports(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    module = importlib.import_module(name)
    assert module.__file__ is not None and Path(module.__file__).parent == BENCHMARKS
    if name.startswith(("bench_", "load_", "soak_")):
        assert callable(getattr(module, "main", None)), f"{name} has no main()"
    sys.modules.pop(name, None)
