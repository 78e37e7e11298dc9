"""Shared fixtures: a fresh migrated database per test, on SQLite and on PostgreSQL.

PostgreSQL tests create their own database on the server at TEST_POSTGRES_URL (default:
the local trust-auth server's `test` database is used only to create and drop ours) and
skip, with the reason, when no server answers.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine

# The project is installed (`pip install -e .`): training, db, webserver and app_pages import
# from anywhere. ROOT is the checkout, for its content, fixtures and scripts.
ROOT = Path(__file__).resolve().parents[1]
# A fixed TOTP encryption key for every test and every app the tests start, so no test writes
# data/totp.key into the working tree (training/identity/secretbox.py).
os.environ.setdefault("FIPP_TOTP_KEY", "dGVzdC1vbmx5LXRvdHAta2V5LTMyLWJ5dGVzLWxvbmc=")

from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from training.administration.departments import create_department  # noqa: E402
from training.administration.officers import create_officer  # noqa: E402
from training.content import Catalog, load_catalog  # noqa: E402
from training.identity.principal import Principal  # noqa: E402
from training.identity.setup import create_first_admin  # noqa: E402
from training.settings import Settings, get_settings  # noqa: E402

FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
# One evidence key for the whole run (and the app processes it starts), never the developer's.
if not os.environ.get("FIPP_EVIDENCE_KEY"):
    os.environ["FIPP_EVIDENCE_KEY_FILE"] = str(Path(tempfile.mkdtemp(prefix="fipp-key-")) / "evidence.key")
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = [b.strip() for b in os.environ.get("FIPP_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]
PASSWORD = "a long enough test pass phrase"


def _pg_reason() -> str | None:
    try:
        import psycopg

        dsn = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means: skip with the reason
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}"


_PG_REASON = _pg_reason() if "postgresql" in BACKENDS else "postgresql not in FIPP_TEST_BACKENDS"
if _PG_REASON and os.environ.get("FIPP_REQUIRE_POSTGRES") == "1":
    raise RuntimeError(f"FIPP_REQUIRE_POSTGRES=1 but {_PG_REASON}")


class PgDatabase:
    """A throwaway database on the PostgreSQL server, created and dropped by the tests."""

    def __init__(self, template: str | None = None) -> None:
        import psycopg

        self.name = f"fipp_test_{uuid.uuid4().hex[:12]}"
        self.admin_dsn = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        clause = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"{clause}')
        base = PG_ADMIN_URL.rsplit("/", 1)[0]
        self.url = f"{base}/{self.name}"

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class PgDropper:
    """Drops used test databases a batch at a time, in parallel, off the tests' path.

    On PostgreSQL 15 every DROP DATABASE forces an immediate checkpoint of the whole server:
    about 1-3 s a test on a busy 2-core machine, nearly all of it waiting on the disk, while
    creating the copy takes about 0.15 s. Drops issued together share one checkpoint, so used
    databases are dropped BATCH at a time on a background thread, and the rest at the end of
    the session. Each test still gets a database of its own, copied from the template.
    """

    BATCH = 12
    AT_ONCE = 4  # connections per test process; the server is shared with other test runs

    def __init__(self) -> None:
        self.admin_dsn = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        self.used: list[str] = []
        self.batches: queue.Queue[list[str] | None] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.failed: list[str] = []
        self.failures: list[str] = []

    def _drop(self, name: str) -> None:
        import psycopg

        try:
            with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:  # noqa: BLE001 - tried again, alone, at the end of the session
            self.failed.append(name)

    def _drop_all(self, names: list[str]) -> None:
        if names:
            with ThreadPoolExecutor(min(len(names), self.AT_ONCE)) as pool:
                list(pool.map(self._drop, names))

    def _run(self) -> None:
        while (batch := self.batches.get()) is not None:
            self._drop_all(batch)

    def drop_later(self, name: str) -> None:
        with self.lock:
            self.used.append(name)
            if len(self.used) < self.BATCH:
                return
            batch, self.used = self.used, []
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="pg-dropper", daemon=True)
                self.thread.start()
        self.batches.put(batch)

    def close(self) -> None:
        """Drop what is left and wait until every used database is gone."""
        if self.thread is not None:
            self.batches.put(None)
            self.thread.join(timeout=600)
        with self.lock:
            batch, self.used = self.used, []
        self._drop_all(batch)
        import psycopg

        for name in self.failed:  # e.g. the server was out of connections for a moment
            try:
                with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as exc:  # noqa: BLE001 - reported by the templates fixture
                self.failures.append(f"could not drop test database {name}: {exc}")


def _make_people(engine: Engine) -> dict[str, Principal]:
    """An admin, two departments (north, south), a trainee and a supervisor in each."""
    from db.engine import write_session
    from training.identity.principal import principal_of

    settings = Settings()
    out: dict[str, Principal] = {}
    with write_session(engine) as s:
        admin = create_first_admin(session=s, name="Ada Admin", email="admin@example.org", badge_number="A1",
                                   password=PASSWORD, settings=settings)
        out["admin"] = admin
        for code in ("north", "south"):
            dept = create_department(session=s, actor=admin, name=f"{code.title()} Police", code=code)
            for role in ("trainee", "supervisor"):
                o = create_officer(session=s, actor=admin, name=f"{code} {role}", email=f"{role}@{code}.example.org",
                                   badge_number=f"{code}-{role}", department_id=dept.id, role=role,
                                   settings=settings, password=PASSWORD)
                out[f"{code}_{role}"] = principal_of(o)
    return out


class Templates:
    """Migrated databases built once per test session and copied for each test.

    Running the migrations and hashing passwords for every test made the suite slow; a
    copy of a ready database (a file copy for SQLite, CREATE DATABASE ... TEMPLATE for
    PostgreSQL) gives each test the same fresh state in a fraction of the time.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[tuple[str, bool], tuple[str, dict[str, Principal]]] = {}
        self.pg: list[PgDatabase] = []
        self.dropper = PgDropper()

    def get(self, backend: str, with_people: bool) -> tuple[str, dict[str, Principal]]:
        key = (backend, with_people)
        if key not in self.built:
            if backend == "postgresql":
                db = PgDatabase()
                self.pg.append(db)
                url, ref = db.url, db.name
            else:
                path = self.folder / f"template-{int(with_people)}.db"
                url, ref = f"sqlite:///{path}", str(path)
            eng = make_engine(url)
            upgrade(eng)
            people = _make_people(eng) if with_people else {}
            if backend == "sqlite":
                with eng.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            eng.dispose()
            self.built[key] = (ref, people)
        return self.built[key]


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    t = Templates(tmp_path_factory.mktemp("templates"))
    yield t
    t.dropper.close()
    for db in t.pg:
        db.drop()
    if t.dropper.failures:
        raise RuntimeError("; ".join(t.dropper.failures))


PEOPLE = pytest.StashKey[dict[str, Principal]]()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path, templates: Templates) -> Iterator[str]:
    """A fresh, migrated database for this test (with the `people` in it if the test asks)."""
    backend = getattr(request, "param", "sqlite")
    with_people = "people" in request.fixturenames
    if backend == "postgresql" and _PG_REASON:
        pytest.skip(_PG_REASON)
    ref, people = templates.get(backend, with_people)
    request.node.stash[PEOPLE] = people
    if backend == "postgresql":
        db = PgDatabase(template=ref)
        try:
            yield db.url
        finally:
            templates.dropper.drop_later(db.name)  # in a batch, with others (PgDropper)
    else:
        target = tmp_path / "fipp.db"
        shutil.copyfile(ref, target)
        yield f"sqlite:///{target}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Every test that touches the database runs once per backend.
    # @pytest.mark.backends("sqlite") narrows a test whose logic has nothing backend-specific.
    if "database_url" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("backends")
        wanted = marker.args if marker else ("sqlite", "postgresql")
        params = [b for b in wanted if b in BACKENDS] or ["sqlite"]
        metafunc.parametrize("database_url", params, indirect=True)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)  # a copy of a template already migrated to the latest revision
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    cat = load_catalog(FIXTURE_CONTENT)
    assert cat.ok, cat.problems
    return cat


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """get_settings() reads the environment once per process; in tests it follows monkeypatched env.

    The test's own monkeypatch (the same object this fixture gets) clears the cache on every
    setenv/delenv, so a test may change a setting halfway through; the cache is cleared again
    after the test, before monkeypatch puts the environment back (it is torn down after this).
    """
    get_settings.cache_clear()
    for name in ("setenv", "delenv"):
        original = getattr(monkeypatch, name)

        def changed(*args: object, _original: object = original, **kwargs: object) -> None:
            _original(*args, **kwargs)  # type: ignore[operator]
            get_settings.cache_clear()

        setattr(monkeypatch, name, changed)
    yield
    get_settings.cache_clear()


@pytest.fixture
def people(engine: Engine, request: pytest.FixtureRequest) -> dict[str, Principal]:
    """An admin, two departments (north, south), a trainee and a supervisor in each."""
    return dict(request.node.stash[PEOPLE])
