"""The hostile roster corpus (tests/fixtures/bad_inputs/csv): each file is refused with a
clear reason naming the row (or the file, when it cannot be read at all), and a refused
file imports nothing. Generated cases (10,001 rows, 5 MB) live in test_roster.py."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from tests.conftest import ROOT
from training.administration.roster import RosterFileError, RosterRejected, import_roster
from training.errors import InvalidInput

CORPUS = ROOT / "tests" / "fixtures" / "bad_inputs" / "csv"

# file -> (row the problem names, or None when the whole file is refused; message fragment)
EXPECTED = {
    "wrong_headers.csv": (None, "unknown column(s)"),
    "missing_column.csv": (None, "missing column(s) department_code"),
    "duplicate_email_in_file.csv": (3, "same email as row 2"),
    "duplicate_badge_in_file.csv": (3, "same badge_number as row 2"),
    "formula_injection_equals.csv": (3, "name starts with '='"),
    "formula_injection_plus.csv": (3, "badge_number starts with '+'"),
    "formula_injection_at.csv": (3, "name starts with '@'"),
    "unknown_department.csv": (3, "'EAST' is not a known department"),
    "bad_email.csv": (3, "not an email address"),
    "role_not_allowed.csv": (3, "create administrators one at a time"),
    "clash_with_existing_officer.csv": (3, "badge_number already exists"),
    "extra_cells.csv": (3, "more cells than the header"),
    "empty.csv": (None, "empty"),
    "latin1_encoding.csv": (None, "(row 3)"),
    "mixed_encodings.csv": (None, "(row 4)"),
    "utf16.csv": (None, "UTF-16"),
    "nul_bytes.csv": (None, "NUL"),
}


def officer_count(engine) -> int:  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return int(s.execute(text("select count(*) from officer")).scalar() or 0)


def test_the_corpus_and_the_table_list_the_same_files():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted([*EXPECTED, "html_and_script_names.csv"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_hostile_roster_is_refused_clearly_and_imports_nothing(engine, people, name):
    row, fragment = EXPECTED[name]
    before = officer_count(engine)
    with pytest.raises(InvalidInput) as err, write_session(engine) as s:
        import_roster(session=s, actor=people["admin"], data=(CORPUS / name).read_bytes(), file_name=name)
    if row is None:
        assert isinstance(err.value, RosterFileError) and fragment in str(err.value)
    else:
        assert isinstance(err.value, RosterRejected)
        assert any(p.row == row and fragment in p.message for p in err.value.problems), err.value.problems
    assert officer_count(engine) == before


def test_names_with_html_and_script_are_imported_as_plain_text(engine, people):
    with write_session(engine) as s:
        import_roster(session=s, actor=people["admin"], data=(CORPUS / "html_and_script_names.csv").read_bytes())
    with read_session(engine) as s:
        names = {r[0] for r in s.execute(text("select name from officer where badge_number in ('N-12', 'N-13')"))}
    assert names == {"<script>alert('x')</script>", "<b>Bold</b> <img src=x onerror=alert(1)>"}
