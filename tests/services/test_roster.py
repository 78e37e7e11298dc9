"""Roster import: every bad row reported with its spreadsheet row number; all rows imported or none."""

import json

import pytest
from sqlalchemy import func, text
from sqlmodel import select

from db.engine import make_engine, read_session, write_session
from db.migrate import upgrade
from db.models import AuditEvent, Department, Officer
from training.administration.roster import MAX_ROWS, RosterFileError, RosterRejected, import_roster, preview_roster
from training.identity.principal import Principal
from training.identity.signin import sign_in

HEADER = "name,badge_number,email,department_code,role\n"
GOOD = "Jane Doe,N-100,jane@north.example.org,NORTH,trainee\n"


@pytest.fixture(scope="module")
def rules_db(tmp_path_factory):
    """For the rule tables: one SQLite database shared by the module, two departments, no passwords to hash."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('roster') / 'rules.db'}")
    upgrade(engine)
    with write_session(engine) as s:
        north, south = Department(name="North Police", code="NORTH"), Department(name="South Police", code="SOUTH")
        s.add_all([north, south])
        s.flush()
        s.add(Officer(name="north trainee", badge_number="north-trainee", email="trainee@north.example.org",
                      department_id=north.id, role="trainee"))
    who = {"admin": Principal(1, "Ada", "admin", None),
           "north_supervisor": Principal(2, "Sup", "supervisor", north.id)}
    yield engine, who
    engine.dispose()


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(lines)).encode("utf-8")


def preview(engine, who, data):
    with read_session(engine) as s:
        return preview_roster(session=s, actor=who, data=data)


def counts(engine):
    with read_session(engine) as s:
        return tuple(s.execute(text(f"select count(*) from {t}")).scalar() for t in ("officer", "audit_event"))


@pytest.mark.parametrize(("line", "fragment"), [
    (",N-1,a@north.example.org,NORTH,trainee", "name is missing"),
    ("Al,,a@north.example.org,NORTH,trainee", "badge_number is missing"),
    ("Al,N-1,,NORTH,trainee", "email is missing"),
    ("Al,N-1,a@north.example.org,,trainee", "department_code is missing"),
    ("Al,N-1,not-an-email,NORTH,trainee", "not an email address"),
    ("Al,N-1,a@north.example.org,EAST,trainee", "'EAST' is not a known department"),
    ("Al,N-1,a@north.example.org,NORTH,chief", "role 'chief' is not allowed"),
    ("Al,N-1,a@north.example.org,NORTH,admin", "create administrators one at a time"),
    ("Al,N-1,trainee@north.example.org,NORTH,trainee", "officer with this email already exists"),
    ("Al,north-trainee,a@north.example.org,NORTH,trainee", "officer with this badge_number already exists"),
    ("=HYPERLINK(\"http://x\"),N-1,a@north.example.org,NORTH,trainee", "name starts with '='"),
    ("+Al,N-1,a@north.example.org,NORTH,trainee", "name starts with '+'"),
    ("Al,-N-1,a@north.example.org,NORTH,trainee", "badge_number starts with '-'"),
    ("Al,N-1,@a@north.example.org,NORTH,trainee", "email starts with '@'"),
    ("\"\tAl\",N-1,a@north.example.org,NORTH,trainee", "name starts with a tab"),
    ("\"\rAl\",N-1,a@north.example.org,NORTH,trainee", "name starts with a carriage return"),
    ("\"Al\nBert\",N-1,a@north.example.org,NORTH,trainee", "control characters or a line break"),
    ("Al,N-1,a@north.example.org,NORTH,trainee,surplus", "more cells than the header"),
    ("A" * 201 + ",N-1,a@north.example.org,NORTH,trainee", "name is longer than 200"),
])
def test_a_bad_row_is_reported_with_its_row_number_and_reason(rules_db, line, fragment):
    engine, people = rules_db
    result = preview(engine, people["admin"], csv_bytes(GOOD, line + "\n"))
    assert [p.row for p in result.problems] == [3]
    assert fragment in result.problems[0].message
    assert [r.row for r in result.rows] == [2]


def test_duplicates_within_the_file_name_the_first_row(rules_db):
    engine, people = rules_db
    result = preview(engine, people["admin"], csv_bytes(GOOD, "\n", "Jane Twin,N-101,JANE@north.example.org,NORTH,\n"))
    assert [(p.row, p.message) for p in result.problems] == [(4, "same email as row 2")]


def test_every_bad_row_is_listed_not_just_the_first(rules_db):
    engine, people = rules_db
    bad = "Al,N-{0},bad-email-{0},NORTH,trainee\n"
    result = preview(engine, people["admin"], csv_bytes(GOOD, *(bad.format(i) for i in range(40))))
    assert [p.row for p in result.problems] == list(range(3, 43))


def test_a_supervisor_imports_trainees_into_their_own_department_only(rules_db):
    engine, people = rules_db
    result = preview(engine, people["north_supervisor"], csv_bytes(
        GOOD, "Sam,S-1,sam@south.example.org,SOUTH,trainee\n", "Sue,N-2,sue@north.example.org,NORTH,supervisor\n"))
    assert [(p.row, p.message) for p in result.problems] == [
        (3, "cannot be imported here"),
        (4, "role 'supervisor' is not allowed here: use trainee")]


def test_header_variants_and_a_byte_order_mark_are_accepted(rules_db):
    engine, people = rules_db
    data = "\ufeffFull Name,Badge No,E-mail,Dept\r\nJane Doe,N-100,jane@north.example.org,north\r\n".encode()
    result = preview(engine, people["admin"], data)
    assert result.ok and result.rows[0].department_code == "NORTH" and result.rows[0].role == "trainee"


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "empty"),
    (b"name,badge,email\n", "missing column(s) department_code"),
    (b"name,badge_number,email,department_code,rank\n", "unknown column(s) 'rank'"),
    (b"name,badge_number,email,department_code,badge\n", "given twice: badge_number"),
    (HEADER.encode() + "Ren\xe9e,N-1,r@north.example.org,NORTH\n".encode("latin-1"), "byte 0xE9 at byte offset 48 (row 2)"),
    (HEADER.encode() + GOOD.encode() + "Zo\xeb,N-2,z@n.example.org,NORTH\n".encode("cp1252"), "(row 3)"),
    ("name,badge_number\n".encode("utf-16"), "UTF-16"),
    (HEADER.encode() + b"A\x00,N-1,a@n.example.org,NORTH\n", "NUL"),
])
def test_an_unreadable_file_is_refused_with_a_clear_reason(rules_db, data, fragment):
    engine, people = rules_db
    with pytest.raises(RosterFileError) as err:
        preview(engine, people["admin"], data)
    assert fragment in str(err.value)


def test_more_than_ten_thousand_rows_is_refused(rules_db):
    engine, people = rules_db
    lines = [f"P{i},B{i},p{i}@north.example.org,NORTH,trainee\n" for i in range(MAX_ROWS + 1)]
    with pytest.raises(RosterFileError, match="more than 10,000"):
        preview(engine, people["admin"], csv_bytes(*lines))


def test_a_file_over_five_megabytes_is_refused(rules_db):
    engine, people = rules_db
    with pytest.raises(RosterFileError, match="the limit is 5 MB"):
        preview(engine, people["admin"], csv_bytes(GOOD, "," * (5 * 1024 * 1024)))


def test_names_with_html_are_stored_exactly_as_written(engine, people):
    name = "<script>alert('x')</script> <b>Bold</b> & Co"
    with write_session(engine) as s:
        import_roster(session=s, actor=people["admin"], data=csv_bytes(f'"{name}",N-9,h@north.example.org,NORTH\n'))
    with read_session(engine) as s:
        assert s.exec(select(Officer.name).where(Officer.badge_number == "N-9")).one() == name


def test_a_failing_import_leaves_the_database_exactly_as_it_was(engine, people):
    before = counts(engine)
    with write_session(engine) as s:
        dump_before = sorted(map(tuple, s.execute(text("select * from officer")).all()))
    with pytest.raises(RosterRejected) as err, write_session(engine) as s:
        import_roster(session=s, actor=people["admin"], data=csv_bytes(GOOD, "Bad,N-2,nope,NORTH,trainee\n"))
    assert [p.row for p in err.value.problems] == [3]
    assert counts(engine) == before
    with read_session(engine) as s:
        assert sorted(map(tuple, s.execute(text("select * from officer")).all())) == dump_before


def test_an_import_creates_officers_without_passwords_and_audits_each(engine, people, settings):
    with write_session(engine) as s:
        result = import_roster(session=s, actor=people["north_supervisor"], data=csv_bytes(
            GOOD, "Jim Roe,N-101,jim@north.example.org,north,\n"), file_name="north.csv")
    assert (result.imported, result.by_role) == (2, {"trainee": 2})
    with read_session(engine) as s:
        creates = s.exec(select(AuditEvent).where(AuditEvent.action == "account.create",
                                                  AuditEvent.actor_id == people["north_supervisor"].officer_id)).all()
        summary = s.exec(select(AuditEvent).where(AuditEvent.action == "roster.import")).one()
    assert len(creates) == 2 and all(json.loads(e.detail)["source"] == "roster" for e in creates)
    assert json.loads(summary.detail)["imported"] == 2 and summary.target_id == "north.csv"
    with write_session(engine) as s:
        assert not sign_in(session=s, login="N-100", password="", settings=settings).ok


@pytest.mark.slow
def test_ten_thousand_rows_import_whole(engine, people):
    # How fast is benchmarks/bench_roster.py's question (no timed assertions in tests); this checks
    # that the largest file allowed imports every row, each officer under its own badge, each audited.
    lines = [f"Officer {i},N{i:05d},o{i}@north.example.org,NORTH,trainee\n" for i in range(MAX_ROWS)]
    creates = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "account.create")
    with read_session(engine) as s:
        audited_before = s.exec(creates).one()
        there_before = set(s.exec(select(Officer.badge_number)).all())
    with write_session(engine) as s:
        result = import_roster(session=s, actor=people["admin"], data=csv_bytes(*lines))
    assert result.imported == MAX_ROWS
    assert [name for _, name, _ in result.officers] == [f"Officer {i}" for i in range(MAX_ROWS)]
    with read_session(engine) as s:
        assert s.exec(select(func.count()).select_from(Officer)).one() == MAX_ROWS + 5
        by_badge = {b: e for b, e in s.exec(select(Officer.badge_number, Officer.email)).all() if b not in there_before}
        audited = s.exec(creates).one() - audited_before
    assert by_badge == {f"N{i:05d}": f"o{i}@north.example.org" for i in range(MAX_ROWS)}
    assert audited == MAX_ROWS


def test_a_row_with_several_problems_lists_each(rules_db):
    engine, people = rules_db
    result = preview(engine, people["admin"], csv_bytes("Sam,N-1,notmail,XYZ,chief\n"))
    assert [p.row for p in result.problems] == [2, 2, 2]
    assert ["email", "department_code", "role"] == [p.message.split()[0] for p in result.problems]


def test_a_clash_that_appears_after_the_check_still_imports_nothing(engine, people, monkeypatch):
    """Another writer adds the same email between our check and our insert: the unique index stops it."""
    from training.administration import roster
    from training.errors import DuplicateRecord

    monkeypatch.setattr(roster, "_existing", lambda session, emails, badges: (set(), set()))
    before = counts(engine)
    with pytest.raises(DuplicateRecord, match="nothing was imported"), write_session(engine) as s:
        import_roster(session=s, actor=people["admin"], data=csv_bytes(
            GOOD, "Al,N-2,trainee@north.example.org,NORTH\n"))
    assert counts(engine) == before
