"""What supervisors and the state training office see, scoped in one place.

Rules a supervisor may ask about:
- A supervisor sees only their own department: asking for another department, or for an
  officer outside it, is refused here, whatever the page shows.
- Administrators may look at any department, and at statewide figures.
- Department figures count the department's active officers (trainees and supervisors),
  using the same status rules as each officer's own "My training" page. Completion rates
  and overdue counts count assigned modules only (passed over assigned, leaving out waived
  work), in the chosen training cycle (by default the current one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from db.models import Department
from db.queries import dashboard, items, officers, statewide
from training.administration.cycles import current_cycle_label
from training.content import Catalog
from training.errors import InvalidInput, NotAllowed, NotFound
from training.identity.principal import Principal
from training.item_analysis import ItemStats, by_policy_point, pooled, stats_of
from training.localtime import local_today
from training.status import department_overview


def department_in_scope(*, session: Session, actor: Principal, department_id: int | None) -> Department:
    """The department the actor may see: their own for a supervisor, any for an administrator."""
    if actor.role not in ("supervisor", "admin"):
        raise NotAllowed("You do not have access to department records.")
    if actor.role == "supervisor" and (department_id is None or department_id != actor.department_id):
        raise NotAllowed("Supervisors can only see their own department.")
    if department_id is None:
        raise InvalidInput("Choose a department.")
    dept = session.get(Department, department_id)
    if dept is None:
        raise NotFound("No such department.")
    return dept


def module_ids(catalog: Catalog) -> list[str]:
    return [m.id for m in catalog.modules_in_order()]


@dataclass(frozen=True)
class DepartmentDashboard:
    department: Department
    today: date
    modules: tuple[tuple[str, str], ...]  # (id, title) in catalog order
    matrix: list[dashboard.MatrixCell]
    rates: list[dashboard.ModuleRate]
    overdue: list[dashboard.MatrixCell]
    trend: list[dashboard.TrendPoint]
    cycle: str | None = None  # None: no cycle opened yet, every record counts

    @property
    def overall_rate(self) -> float:
        """Passed over assigned (less waived) module assignments: 1 of 2 assigned passed is 50%."""
        cells = sum(r.assigned - r.waived for r in self.rates)
        return sum(r.passed for r in self.rates) / cells if cells > 0 else 0.0


def chosen_cycle(session: Session, cycle: str | None) -> str | None:
    """The cycle asked for, or the current one (None while no cycle has been opened)."""
    return cycle if cycle is not None else current_cycle_label(session)


def department_dashboard(*, session: Session, actor: Principal, catalog: Catalog, department_id: int | None,
                         today: date | None = None, period: dashboard.Period = "month",
                         cycle: str | None = None, from_records: bool = False) -> DepartmentDashboard:
    """from_records: read the facts from the records rather than the module_status cache (slower; for
    evidence, which must not rest on a cache)."""
    dept = department_in_scope(session=session, actor=actor, department_id=department_id)
    assert dept.id is not None
    today = today or local_today()
    ids = module_ids(catalog)
    cycle = chosen_cycle(session, cycle)
    overview = department_overview(session=session, department_id=dept.id, module_ids=ids, today=today,
                                   cycle=cycle, from_records=from_records)
    trend = dashboard.completion_trend(session=session, department_id=dept.id, module_ids=ids, period=period,
                                       cycle=cycle)
    return DepartmentDashboard(dept, today, tuple((m.id, m.title) for m in catalog.modules_in_order()),
                               overview.matrix, overview.rates, overview.overdue, trend, cycle)


@dataclass(frozen=True)
class ItemAnalysis:
    questions: list[ItemStats]
    versions: list[ItemStats]
    policy_points: list[ItemStats]


def item_analysis(*, session: Session, actor: Principal, catalog: Catalog,
                  department_id: int | None) -> ItemAnalysis:
    """First-attempt item statistics for a department, or statewide (None) for administrators."""
    if department_id is not None or not actor.is_admin:
        department_in_scope(session=session, actor=actor, department_id=department_id)
    versions = items.item_counts(session=session, department_id=department_id, by_version=True)
    per_question: dict[str, list[items.ItemCounts]] = {}
    for v in versions:
        per_question.setdefault(v.question_id, []).append(v)
    questions = [pooled(qid, vs) for qid, vs in sorted(per_question.items())]
    points = {q.id: q.policy_points for q in catalog.questions.values()}
    return ItemAnalysis([stats_of(q) for q in questions], [stats_of(v) for v in versions],
                        by_policy_point(questions, points))


def department_roster(*, session: Session, actor: Principal, department_id: int | None) -> list[officers.RosterEntry]:
    dept = department_in_scope(session=session, actor=actor, department_id=department_id)
    assert dept.id is not None
    return officers.department_roster(session=session, department_id=dept.id)


@dataclass(frozen=True)
class ShownAnswer:
    position: int
    question_id: str
    question_hash: str
    stem: str
    options_shown: tuple[tuple[str, str, bool], ...]  # (option id, text, correct) in the order shown
    chosen: tuple[str, ...]
    credit: float
    correct: bool


def _officer_in_scope(session: Session, actor: Principal, officer_id: int) -> None:
    dept = officers.officer_department(session=session, officer_id=officer_id)
    if actor.is_admin:
        return
    if actor.role != "supervisor" or dept is None or dept != actor.department_id:
        raise NotFound("No such officer in your department.")


def _made_in(actor: Principal) -> int | None:
    """Rule for transferred officers: a supervisor sees the attempts and answers an officer made while
    in the supervisor's department, never those made in a department they came from (those stay
    with the department they were made in; administrators see all). Completions, the record that
    a module was passed, follow the officer: a new department needs to know who is trained."""
    return None if actor.is_admin else actor.department_id


def officer_attempts(*, session: Session, actor: Principal, officer_id: int) -> list[officers.AttemptRow]:
    _officer_in_scope(session, actor, officer_id)
    return officers.officer_attempts(session=session, officer_id=officer_id, made_in=_made_in(actor))


def attempt_answers(*, session: Session, actor: Principal, officer_id: int, attempt_id: int) -> list[ShownAnswer]:
    """Each answer with the exact question version shown, its options in the order shown, and the choice."""
    _officer_in_scope(session, actor, officer_id)
    out = []
    for row in officers.officer_answers(session=session, officer_id=officer_id, attempt_id=attempt_id,
                                        made_in=_made_in(actor)):
        question = json.loads(row.version_content)["question"] if row.version_content else {}
        by_id = {o["id"]: o for o in question.get("options", [])}
        shown = tuple((oid, str(by_id.get(oid, {}).get("text", "?")), bool(by_id.get(oid, {}).get("correct")))
                      for oid in json.loads(row.option_order))
        out.append(ShownAnswer(row.position, row.question_id, row.question_hash, str(question.get("stem", "?")),
                               shown, tuple(json.loads(row.chosen)), row.credit, row.correct))
    return out


def statewide_compliance(*, session: Session, actor: Principal, catalog: Catalog,
                         today: date | None = None, cycle: str | None = None) -> list[statewide.ComplianceRow]:
    """Per active department x module: officers, assigned, passed, overdue, waived. Administrators only."""
    if not actor.is_admin:
        raise NotAllowed("Only administrators see statewide figures.")
    return statewide.compliance_by_department(session=session, module_ids=module_ids(catalog),
                                              today=today or local_today(), cycle=chosen_cycle(session, cycle))


@dataclass(frozen=True)
class DepartmentCompliance:
    department_id: int
    name: str
    code: str
    officers: int
    overdue: int
    passed_by_module: dict[str, int]
    due_by_module: dict[str, int] = field(default_factory=dict)  # assigned less waived

    @property
    def overall_rate(self) -> float:
        cells = sum(self.due_by_module.values())
        return sum(self.passed_by_module.values()) / cells if cells else 0.0

    def rate(self, module_id: str) -> float | None:
        """Passed over assigned (less waived); None where the module is assigned to no one."""
        due = self.due_by_module.get(module_id, 0)
        return self.passed_by_module.get(module_id, 0) / due if due else None


def compliance_per_department(rows: list[statewide.ComplianceRow]) -> list[DepartmentCompliance]:
    """One summary per department from the per-module rows (least compliant first; those with
    nothing assigned last)."""
    out: dict[int, DepartmentCompliance] = {}
    for r in rows:
        d = out.setdefault(r.department_id, DepartmentCompliance(r.department_id, r.department_name,
                                                                 r.department_code, r.officers, 0, {}))
        d.passed_by_module[r.module_id] = r.passed
        d.due_by_module[r.module_id] = max(r.assigned - r.waived, 0)
        out[r.department_id] = DepartmentCompliance(d.department_id, d.name, d.code, d.officers,
                                                    d.overdue + r.overdue, d.passed_by_module, d.due_by_module)
    # Departments with nothing assigned go last: 0% there means "no work set", not "behind".
    return sorted(out.values(), key=lambda d: (not d.due_by_module or not any(d.due_by_module.values()),
                                               d.overall_rate, d.name))
