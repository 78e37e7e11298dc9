"""Exports: CSV files a spreadsheet opens safely, and a PDF department report for the Council.

Rules a supervisor may ask about:
- CSV files are UTF-8 with a byte-order mark, so Excel shows names such as José correctly.
- Any text cell starting with =, +, -, @, a tab or a carriage return gets a leading single
  quote, so a spreadsheet never runs it as a formula (names and free text come from rosters
  that anyone could have typed into).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from fpdf import FPDF

from training.oversight import DepartmentDashboard

FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """A text cell that a spreadsheet would read as a formula, made inert with a leading quote."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if c is None else neutralise(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def matrix_csv(board: DepartmentDashboard) -> bytes:
    titles = dict(board.modules)
    return csv_bytes(
        ["Officer", "Badge", "Module", "Status", "Completed (UTC)", "Best score %", "Attempts", "Due", "Cycle",
         "Assigned"],
        ([c.officer_name, c.badge_number, titles.get(c.module_id, c.module_id), c.status,
          f"{c.completed_at:%Y-%m-%d}" if c.completed_at else "", c.best_score, c.attempts,
          c.due_date.isoformat() if c.due_date else "", c.cycle or "", "yes" if c.assigned else "no"]
         for c in board.matrix))


def overdue_csv(board: DepartmentDashboard) -> bytes:
    titles = dict(board.modules)
    return csv_bytes(["Officer", "Badge", "Module", "Due", "Cycle", "Status"],
                     ([c.officer_name, c.badge_number, titles.get(c.module_id, c.module_id),
                       c.due_date.isoformat() if c.due_date else "", c.cycle or "", c.status] for c in board.overdue))


def _bars(pdf: FPDF, items: list[tuple[str, float, str]], *, width: float = 90) -> None:
    """Horizontal bars (0 to 1) drawn with fpdf2 primitives: label, bar, value."""
    for label, share, value in items:
        y = pdf.get_y()
        pdf.set_font("DejaVu", "", 8)
        pdf.cell(80, 6, label[:48])
        pdf.set_fill_color(225, 230, 238)
        pdf.rect(pdf.l_margin + 82, y + 1, width, 4, style="F")
        pdf.set_fill_color(30, 90, 160)
        if share > 0:
            pdf.rect(pdf.l_margin + 82, y + 1, width * min(share, 1.0), 4, style="F")
        pdf.set_x(pdf.l_margin + 84 + width)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")


def department_report_pdf(board: DepartmentDashboard) -> bytes:
    """A department's training figures: rates per module, overdue officers and the completion trend."""
    pdf = FPDF(unit="mm", format="Letter")
    pdf.set_title(f"FIPP training report: {board.department.name}")
    pdf.set_author("FIPP Academy")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, f"Fair and Impartial Policing training: {board.department.name}", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    officers = board.rates[0].officers if board.rates else 0
    overdue_officers = len({c.officer_id for c in board.overdue})
    pdf.multi_cell(0, 5, f"As of {board.today:%B %d, %Y}. {officers} active officers; overall completion "
                         f"{board.overall_rate:.0%}; {len(board.overdue)} overdue module assignments held by "
                         f"{overdue_officers} officers.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, "Completion rate per module", new_x="LMARGIN", new_y="NEXT")
    titles = dict(board.modules)
    _bars(pdf, [(titles.get(r.module_id, r.module_id), r.completion_rate,
                 f"{r.completion_rate:.0%} ({r.passed}/{r.assigned - r.waived}, {r.overdue} overdue)") for r in board.rates])
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, "Completions per period", new_x="LMARGIN", new_y="NEXT")
    peak = max((p.completions for p in board.trend), default=0)
    _bars(pdf, [(p.period_start, p.completions / peak if peak else 0.0, f"{p.completions} (total {p.cumulative})")
                for p in board.trend[-18:]])
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, f"Overdue ({len(board.overdue)})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    for c in board.overdue[:200]:
        due = c.due_date.isoformat() if c.due_date else ""
        pdf.cell(0, 5, f"{c.officer_name} ({c.badge_number}): {titles.get(c.module_id, c.module_id)}, due {due}, "
                       f"cycle {c.cycle or ''}"[:120], new_x="LMARGIN", new_y="NEXT")
    if len(board.overdue) > 200:
        pdf.cell(0, 5, f"... and {len(board.overdue) - 200} more (see the CSV export).", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
