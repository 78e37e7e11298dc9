"""Loading and validating a 1,000-question bank: training.content.load_catalog vs bare PyYAML.

    .venv/bin/python benchmarks/bench_content_load.py

Generates 1,000 valid questions (10 files of 100, plus policy points and a module) in a
temp dir, then times, alternately and REPEAT times each, load_catalog (strict YAML with
line numbers, pydantic validation, cross-checks, content hashes) and a bare
yaml.load(CSafeLoader) of the same files. Best of REPEAT for each. Target: at most 1.3x.
Within a minute; figures last.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import content_gen  # noqa: E402
import yaml

QUESTIONS = 1000
REPEAT = 7


def bare_load(root: Path) -> int:
    n = 0
    for path in sorted(root.glob("**/*.yaml")):
        with path.open("rb") as f:
            data = yaml.load(f, Loader=yaml.CSafeLoader)
        n += len(data.get("questions", ())) if isinstance(data, dict) else 0
    return n


def main() -> int:
    from training.content import load_catalog

    with tempfile.TemporaryDirectory(prefix="fipp-bench-content-") as tmp:
        root = content_gen.write_content(Path(tmp), questions=QUESTIONS)
        catalog = load_catalog(root)
        assert catalog.ok and len(catalog.questions) == QUESTIONS, catalog.problems[:3]
        assert bare_load(root) == QUESTIONS
        ours, bare = [], []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            load_catalog(root)
            t1 = time.perf_counter()
            bare_load(root)
            t2 = time.perf_counter()
            ours.append(t1 - t0)
            bare.append(t2 - t1)
        size = sum(p.stat().st_size for p in root.glob("**/*.yaml"))
    figures = {
        "questions": QUESTIONS,
        "yaml_bytes": size,
        "load_catalog_best_ms": f"{1000 * min(ours):.1f}",
        "bare_csafeloader_best_ms": f"{1000 * min(bare):.1f}",
        "ratio_best": f"{min(ours) / min(bare):.2f}",
        "target_ratio": "1.3",
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
