"""Exports: CSV safe to open in a spreadsheet, and a PDF report that opens and carries the figures."""

import io
from datetime import date, datetime, timezone

import pytest
from pypdf import PdfReader

from db.models import Department
from db.queries.dashboard import MatrixCell, ModuleRate, TrendPoint
from training.exports import csv_bytes, department_report_pdf, matrix_csv
from training.oversight import DepartmentDashboard


@pytest.mark.parametrize("cell, written", [
    ('=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'),
    ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tTab", "'\tTab"), ("\rCR", "\"'\rCR\""),
    ("Ordinary name", "Ordinary name"), ("José Ñúñez", "José Ñúñez"), (12.5, "12.5"),
])
def test_csv_cells_that_start_like_a_formula_get_a_leading_quote(cell, written):
    assert csv_bytes(["h"], [[cell]]).decode("utf-8-sig").split("\r\n")[1] == written


def test_csv_is_utf8_with_a_byte_order_mark():
    assert csv_bytes(["Name"], [["José"]]).startswith(b"\xef\xbb\xbfName\r\nJos\xc3\xa9")


def board(name="Montpelier Police Department"):
    cell = MatrixCell(1, "=Evil Officer", "B-1", "m1", "overdue", None, 40.0, 1, date(2026, 1, 31), "2025")
    done = MatrixCell(2, "Ana Łukasz", "B-2", "m1", "passed", datetime(2026, 2, 3, tzinfo=timezone.utc), 90.0, 1,
                      date(2026, 1, 31), "2025")
    return DepartmentDashboard(Department(id=1, name=name, code="MPD"), date(2026, 3, 1),
                               (("m1", "Fair and impartial policing"),), [cell, done],
                               [ModuleRate("m1", 2, 1, 1, 0, assigned=2)], [cell], [TrendPoint("2026-02-01", 1, 1)])


def test_matrix_csv_neutralises_officer_names():
    assert "'=Evil Officer,B-1,Fair and impartial policing,overdue" in matrix_csv(board()).decode("utf-8-sig")


def test_pdf_report_opens_and_names_the_department_and_its_figures():
    pages = PdfReader(io.BytesIO(department_report_pdf(board()))).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    for expected in ("Montpelier Police Department", "2 active officers", "overall completion 50%",
                     "50% (1/2, 1 overdue)", "=Evil Officer (B-1)", "due 2026-01-31"):
        assert expected in text
