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
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from training.localtime import agency_zone, format_local, format_local_date
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
        ["Officer", "Badge", "Module", "Status", "Completed", "Best score %", "Attempts", "Due", "Cycle", "Assigned"],
        ([c.officer_name, c.badge_number, titles.get(c.module_id, c.module_id), c.status,
          format_local_date(c.completed_at, "%Y-%m-%d"), c.best_score, c.attempts,
          c.due_date.isoformat() if c.due_date else "", c.cycle or "", "yes" if c.assigned else "no"]
         for c in board.matrix))


def overdue_csv(board: DepartmentDashboard) -> bytes:
    titles = dict(board.modules)
    return csv_bytes(["Officer", "Badge", "Module", "Due", "Cycle", "Status"],
                     ([c.officer_name, c.badge_number, titles.get(c.module_id, c.module_id),
                       c.due_date.isoformat() if c.due_date else "", c.cycle or "", c.status] for c in board.overdue))


STATUS_WORDS = {"passed": "Passed", "overdue": "Overdue", "in progress": "In progress",
                "not started": "Not started", "waived": "Waived", "re-certify": "Re-certify"}


class _Report(FPDF):
    """Letter pages that each carry the department, cycle, date and time zone, and a page number."""

    def __init__(self, running_head: str) -> None:
        super().__init__(unit="mm", format="Letter")
        self.running_head = running_head
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_lang("en-US")

    def header(self) -> None:
        self.set_font("DejaVu", "", 7)
        self.set_text_color(80, 80, 80)
        self.multi_cell(0, 3.5, self.running_head, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 7)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)


def _bars(pdf: FPDF, items: list[tuple[str, float, str]]) -> None:
    """Horizontal bars (0 to 1): the label wraps in its column and the figure keeps to the page."""
    label_w, bar_w = 70.0, 55.0
    value_w = pdf.epw - label_w - bar_w - 4
    pdf.set_font("DejaVu", "", 8)
    for label, share, value in items:
        lines: list[str] = pdf.multi_cell(label_w, 4, label, dry_run=True, output="LINES")  # type: ignore[assignment]
        height = max(5.0, 4.0 * len(lines))
        if pdf.will_page_break(height):
            pdf.add_page()
        y = pdf.get_y()
        pdf.multi_cell(label_w, 4, label, align="L", new_x="RIGHT", new_y="TOP")
        x0 = pdf.l_margin + label_w + 2
        pdf.set_fill_color(225, 230, 238)
        pdf.rect(x0, y + 0.5, bar_w, 3, style="F")
        if share > 0:
            pdf.set_fill_color(30, 90, 160)
            pdf.rect(x0, y + 0.5, bar_w * min(share, 1.0), 3, style="F")
        pdf.set_xy(x0 + bar_w + 2, y)
        pdf.multi_cell(value_w, 4, value, new_x="LMARGIN", new_y="TOP")
        pdf.set_y(y + height + 1)


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy word wrap measured with the current font (fpdf2's own line breaker is quadratic in practice)."""
    if pdf.get_string_width(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split():
        while pdf.get_string_width(word) > width:  # a word longer than the column: break it
            cut = len(word) - 1
            while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if pdf.get_string_width(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def _table(pdf: FPDF, header: tuple[str, ...], rows: Iterable[Sequence[str]], weights: tuple[float, ...],
           size: float = 8) -> None:
    """A table whose cells wrap inside their column; the heading row repeats on each new page.

    Drawn row by row with plain cells (fpdf2's table() measured about 8 ms a cell, minutes for a
    large department's matrix); only a cell too wide for its column is measured for wrapping.
    """
    widths = [pdf.epw * w / sum(weights) for w in weights]
    line_h = size * 0.42

    def draw(row: Sequence[str], bold: bool) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        wrapped: list[list[str]] = []
        for text, w in zip(row, widths, strict=True):
            wrapped.append(_wrap(pdf, text, w - 2 * pdf.c_margin))
        height = line_h * max(len(lines) for lines in wrapped) + 1.2
        if pdf.will_page_break(height):
            pdf.add_page(orientation=str(pdf.cur_orientation.value))
            if not bold:
                draw(header, True)
                pdf.set_font("DejaVu", "", size)
        y, x = pdf.get_y(), pdf.l_margin
        if bold:
            pdf.set_fill_color(225, 230, 238)
            pdf.rect(x, y, pdf.epw, height, style="F")
        for lines, w in zip(wrapped, widths, strict=True):
            for i, line in enumerate(lines):
                pdf.set_xy(x, y + 0.6 + i * line_h)
                pdf.cell(w, line_h, line)
            x += w
        pdf.set_draw_color(200, 200, 200)
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + pdf.epw, y + height)
        pdf.set_xy(pdf.l_margin, y + height)

    draw(header, True)
    for row in rows:
        draw(row, False)
    pdf.ln(1)


def department_report_pdf(board: DepartmentDashboard, *, cycle_label: str = "all cycles",
                          generated_at: datetime | None = None, footer_lines: Sequence[str] = ()) -> bytes:
    """A department's report for the Council: rates per module, trend, overdue list and officers x modules.

    Every page carries the department, the cycle, the date and time it was made in the
    agency's time zone, and "Page n of N"; long module names wrap instead of running off the page.
    """
    moment = generated_at or datetime.now(UTC)
    zone = agency_zone()
    stamp = f"{format_local(moment)} ({zone.key})"
    head = f"FIPP training report | {board.department.name} | Cycle: {cycle_label} | Made {stamp}"
    pdf = _Report(head)
    pdf.set_title(f"FIPP training report: {board.department.name}, cycle {cycle_label}")
    pdf.set_author("FIPP Academy")
    pdf.set_subject("Fair and impartial policing training records")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, f"Fair and Impartial Policing training: {board.department.name}", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    officers = board.rates[0].officers if board.rates else 0
    overdue_officers = len({c.officer_id for c in board.overdue})
    pdf.multi_cell(0, 5, f"Cycle {cycle_label}, as of {board.today:%B %d, %Y}. {officers} active officers; overall "
                         f"completion {board.overall_rate:.0%}; {len(board.overdue)} overdue module assignments held "
                         f"by {overdue_officers} officers. Times are in {zone.key}.", new_x="LMARGIN", new_y="NEXT")
    titles = dict(board.modules)
    _heading(pdf, "Completion rate per module")
    _bars(pdf, [(titles.get(r.module_id, r.module_id), r.completion_rate,
                 f"{r.completion_rate:.0%} ({r.passed}/{r.assigned - r.waived}, {r.overdue} overdue)") for r in board.rates])
    _heading(pdf, "Completions per period")
    if board.trend:
        _table(pdf, ("Period starting", "Completions", "Total so far"),
               ((p.period_start, str(p.completions), str(p.cumulative)) for p in board.trend), (2, 1, 1))
    else:
        pdf.multi_cell(0, 5, "No completions yet.", new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, f"Overdue ({len(board.overdue)})")
    if board.overdue:
        _table(pdf, ("Officer", "Badge", "Module", "Due", "Cycle"),
               ((c.officer_name, c.badge_number, titles.get(c.module_id, c.module_id),
                 c.due_date.isoformat() if c.due_date else "", c.cycle or "") for c in board.overdue), (3, 1.3, 4, 1.4, 1.3))
    else:
        pdf.multi_cell(0, 5, "No overdue assignments.", new_x="LMARGIN", new_y="NEXT")
    _matrix(pdf, board, titles)
    if footer_lines:  # the signed evidence checkpoint (training/evidence/checkpoints.py)
        _heading(pdf, "Evidence checkpoint")
        pdf.set_font("DejaVu", "", 7)
        for line in footer_lines:
            for part in _wrap(pdf, line, pdf.epw):
                pdf.cell(0, 3.5, part, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _matrix(pdf: FPDF, board: DepartmentDashboard, titles: dict[str, str]) -> None:
    """Officers x modules on landscape pages, modules numbered with a legend so every column fits."""
    pdf.add_page(orientation="L")
    _heading(pdf, "Officers and modules")
    order = [mid for mid, _ in board.modules]
    pdf.multi_cell(0, 4, "Modules: " + "; ".join(f"{i} = {titles[mid]}" for i, mid in enumerate(order, start=1)),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    cells: dict[int, dict[str, str]] = {}
    names: dict[int, str] = {}
    for c in board.matrix:
        names[c.officer_id] = f"{c.officer_name} ({c.badge_number})"
        cells.setdefault(c.officer_id, {})[c.module_id] = STATUS_WORDS.get(c.status, c.status)
    rows = ((names[oid], *(cells[oid].get(mid, "") for mid in order))
            for oid in sorted(names, key=lambda o: names[o].casefold()))
    _table(pdf, ("Officer", *(str(i) for i in range(1, len(order) + 1))), rows,
           (3.2, *([1.0] * len(order))), size=7)
