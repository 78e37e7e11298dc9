"""Dashboard queries vs hand-written SQL on a synthetic state, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_dashboards.py

The state (80 departments, 50,000 officers, the real 9 modules, ~2,000,000 answers; see
training/synthetic.py) is generated with `python -m training generate-state`. The SQLite copy
is cached under $TMPDIR/fipp-bench/ (keyed by the generator and schema version; about 2
minutes to build once); PostgreSQL gets its own database, loaded with COPY (about 1-2
minutes) and dropped at the end. Set FIPP_BENCH_BACKENDS=sqlite to skip PostgreSQL.

Measured in this run, interleaved, median of repeats: the department dashboard (the
service the page calls: matrix, per-module rates, overdue list, trend) for the median-sized
department, the largest department, and the statewide view. Each is checked to compute the same
figures as the baseline before timing. The baseline (benchmarks/baseline_sql.py) is hand-written
SQL computing the department dashboard from the records (attempts, completions, lessons read,
assignments, waivers), written independently of the app, which reads its module_status cache
and applies the status rule of training/status.py: the ratio measures that design. Targets: ratio at most 1.5, under 100 ms. The last lines are
`name: value`, one per line.

Like the app's server (streamlit_app.py), the benchmark freezes its start-up objects out of the
garbage collector's full collections before measuring (training/heap.py); both sides of each
ratio run in that one process.
"""

from __future__ import annotations

import hashlib
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

import baseline_sql  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402

from db.engine import make_engine, read_session  # noqa: E402
from training.commands.generate_state import generate_state  # noqa: E402
from training.content import load_catalog  # noqa: E402
from training.heap import freeze_startup_objects  # noqa: E402
from training.identity.principal import Principal  # noqa: E402
from training.oversight import department_dashboard, module_ids, statewide_compliance  # noqa: E402
from training.synthetic import Plan  # noqa: E402

PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REPEATS = int(os.environ.get("FIPP_BENCH_REPEATS", "15"))
ADMIN = Principal(0, "benchmark", "admin", None)
CATALOG = load_catalog(ROOT)
MODULES = module_ids(CATALOG)
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def cached_sqlite() -> str:
    """The cached SQLite state, generated on first use."""
    sources = [ROOT / "training" / "synthetic.py", *sorted((ROOT / "db" / "migrations" / "versions").glob("*.py"))]
    plan = Plan()
    shape = f"{plan.departments}/{plan.officers}/{plan.start_share}/{plan.seed}".encode()
    key = hashlib.sha256(b"".join(p.read_bytes() for p in sources) + shape)
    path = Path(tempfile.gettempdir()) / "fipp-bench" / f"state-{key.hexdigest()[:16]}.sqlite"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        for leftover in path.parent.glob(partial.name + "*"):
            leftover.unlink()
        print(f"generating the synthetic state into {path} (cached for later runs)...", file=sys.stderr)
        generate_state(f"sqlite:///{partial}", Plan())
        partial.rename(path)
    return f"sqlite:///{path}"


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def compare(name: str, ours: Callable[[], Any], base: Callable[[], Any], repeats: int) -> dict[str, float]:
    ours(), base()  # warm caches and compiled statements
    a, b = [], []
    for _ in range(repeats):  # interleaved, so background load hits both alike
        a.append(timed(ours))
        b.append(timed(base))
    ms, base_ms = statistics.median(a), statistics.median(b)
    return {f"{name}_ms": ms, f"{name}_baseline_ms": base_ms, f"{name}_ratio": ms / base_ms}


def norm(v: Any) -> Any:
    """One spelling for values that the two paths type differently (datetimes, dates, decimals)."""
    if isinstance(v, str) and TIMESTAMP.match(v):  # SQLite hands back the stored text
        return v[:19]
    if v is None or isinstance(v, str | int):
        return v
    if isinstance(v, Decimal):
        return int(v) if v == int(v) else float(v)
    if isinstance(v, float):
        return round(v, 6)
    return str(v)[:19]


def same_figures(engine: Engine, dept: int) -> None:
    dialect, day = engine.dialect.name, date.today()
    with read_session(engine) as s:
        ours = department_dashboard(session=s, actor=ADMIN, catalog=CATALOG, department_id=dept, today=day)
        state = statewide_compliance(session=s, actor=ADMIN, catalog=CATALOG, today=day)
    conn = engine.raw_connection()
    try:
        base = baseline_sql.department_dashboard(conn, dialect, dept, MODULES, day)
        base_state = baseline_sql.statewide(conn, dialect, MODULES, day)
    finally:
        conn.close()

    def rows(items: Any) -> list[tuple[Any, ...]]:
        return [tuple(norm(v) for v in (x if isinstance(x, tuple) else tuple(vars(x).values()))) for x in items]

    assert rows(ours.matrix) == rows(base["matrix"]), "matrix differs"
    assert rows(ours.rates) == rows(base["rates"]), "rates differ"
    assert rows(ours.overdue) == rows(base["overdue"]), "overdue list differs"
    assert rows(ours.trend) == rows(base["trend"]), "trend differs"
    assert rows(state) == rows(base_state), "statewide differs"


def bench(label: str, engine: Engine) -> dict[str, float]:
    today = date.today()
    with engine.connect() as c:
        sizes = c.execute(text("SELECT department_id, COUNT(*) FROM officer WHERE active AND role <> 'admin' "
                               "GROUP BY department_id ORDER BY 2, 1")).all()
    median_dept, largest = sizes[len(sizes) // 2][0], sizes[-1][0]
    same_figures(engine, median_dept)
    same_figures(engine, largest)
    out: dict[str, float] = {f"{label}_median_department_officers": sizes[len(sizes) // 2][1]}

    def ours_dept(dept: int) -> Callable[[], Any]:
        def run() -> Any:
            with read_session(engine) as s:
                return department_dashboard(session=s, actor=ADMIN, catalog=CATALOG, department_id=dept, today=today)
        return run

    def base_dept(dept: int) -> Callable[[], Any]:
        def run() -> Any:
            conn = engine.raw_connection()
            try:
                return baseline_sql.department_dashboard(conn, engine.dialect.name, dept, MODULES, today)
            finally:
                conn.close()
        return run

    def ours_state() -> Any:
        with read_session(engine) as s:
            return statewide_compliance(session=s, actor=ADMIN, catalog=CATALOG, today=today)

    def base_state() -> Any:
        conn = engine.raw_connection()
        try:
            return baseline_sql.statewide(conn, engine.dialect.name, MODULES, today)
        finally:
            conn.close()

    out.update(compare(f"{label}_department_dashboard", ours_dept(median_dept), base_dept(median_dept), REPEATS))
    out.update(compare(f"{label}_statewide", ours_state, base_state, REPEATS))
    out[f"{label}_largest_department_officers"] = sizes[-1][1]
    out.update(compare(f"{label}_largest_department_dashboard", ours_dept(largest), base_dept(largest), 5))
    return out


def postgresql_state() -> tuple[str, Callable[[], None]]:
    import psycopg

    name = f"fipp_bench_{uuid.uuid4().hex[:10]}"
    admin_dsn = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    try:
        print(f"loading the synthetic state into PostgreSQL database {name}...", file=sys.stderr)
        generate_state(url, Plan())
    except BaseException:
        drop()
        raise
    return url, drop


def main() -> int:
    started = time.perf_counter()
    freeze_startup_objects()  # what the app's server does after start-up (streamlit_app.py, training/heap.py)
    backends = os.environ.get("FIPP_BENCH_BACKENDS", "sqlite,postgresql").split(",")
    results: dict[str, float] = {}
    if "sqlite" in backends:
        engine = make_engine(cached_sqlite())
        results.update(bench("sqlite", engine))
        engine.dispose()
    if "postgresql" in backends:
        url, drop = postgresql_state()
        try:
            engine = make_engine(url)
            results.update(bench("postgresql", engine))
            engine.dispose()
        finally:
            drop()
    results["total_seconds"] = time.perf_counter() - started
    results["load_average_1min"] = os.getloadavg()[0]  # other work on the machine slows both sides alike
    for name, value in results.items():
        print(f"{name}: {value:.2f}" if isinstance(value, float) else f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
