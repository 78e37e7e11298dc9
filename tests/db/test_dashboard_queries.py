"""The department dashboard's figures, computed in SQL, on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from db.queries import dashboard, statewide
from tests.db.oversight_seed import T0, TODAY, add_attempt, add_officer, assign, department_with_every_status
from training.progress import module_statuses
from training.status import department_overview

MODULES = ["sample-module", "other-module"]


@pytest.fixture
def north(engine, people):
    return department_with_every_status(engine, people)


def _overview(engine, department_id, today=TODAY):
    with read_session(engine) as s:
        return department_overview(session=s, department_id=department_id, module_ids=MODULES, today=today)


def _matrix(engine, department_id, today=TODAY):
    return _overview(engine, department_id, today).matrix


@pytest.mark.parametrize("who", ["passed", "overdue", "in progress", "not started"])
def test_matrix_status_follows_the_rules_of_my_training(engine, north, catalog, who):
    cell = next(c for c in _matrix(engine, north[who].department_id)
                if c.officer_id == north[who].officer_id and c.module_id == "sample-module")
    with read_session(engine) as s:
        mine = module_statuses(session=s, actor=north[who], catalog=catalog, today=TODAY)[0]
    assert (cell.status, cell.due_date, cell.cycle, cell.attempts) == (who, mine.due_date, mine.cycle, mine.attempts)


def test_matrix_has_every_officer_of_the_department_and_no_one_else(engine, north, people):
    cells = _matrix(engine, north["passed"].department_id)
    assert {c.officer_id for c in cells} == {p.officer_id for p in north.values()}
    assert len(cells) == len(north) * len(MODULES)


def test_matrix_leaves_out_deactivated_officers(engine, north):
    with write_session(engine) as s:
        s.execute(text("UPDATE officer SET active = false WHERE id = :id"), {"id": north["not started"].officer_id})
    assert north["not started"].officer_id not in {c.officer_id for c in _matrix(engine, north["passed"].department_id)}


def test_matrix_shows_date_best_score_and_attempts_of_a_pass(engine, north):
    with write_session(engine) as s:
        add_attempt(s, north["overdue"], results=(True, False, False, False), at=T0)
        add_attempt(s, north["overdue"], number=2, at=T0 + timedelta(days=3))
    cell = next(c for c in _matrix(engine, north["overdue"].department_id)
                if c.officer_id == north["overdue"].officer_id and c.module_id == "sample-module")
    assert (cell.status, cell.best_score, cell.attempts) == ("passed", 100.0, 2)
    assert cell.completed_at.date() == (T0 + timedelta(days=3)).date()


def test_a_department_assignment_past_due_makes_everyone_not_passed_overdue(engine, north):
    cells = [c for c in _matrix(engine, north["passed"].department_id) if c.module_id == "other-module"]
    assert {c.status for c in cells} == {"overdue"}
    assert {(c.due_date, c.cycle) for c in cells} == {(date(2026, 4, 1), "2027")}


def test_nothing_is_overdue_before_the_due_date(engine, north):
    assert "overdue" not in {c.status for c in _matrix(engine, north["passed"].department_id, date(2026, 3, 1))}


def test_module_rates_count_each_status(engine, north):
    rates = _overview(engine, north["passed"].department_id).rates
    assert [(r.module_id, r.officers, r.passed, r.overdue, r.in_progress) for r in rates] == [
        ("sample-module", 4, 1, 1, 1), ("other-module", 4, 0, 4, 0)]
    assert rates[0].completion_rate == 0.25


def test_overdue_list_is_earliest_due_first(engine, north):
    late = _overview(engine, north["passed"].department_id).overdue
    assert [c.due_date for c in late] == [date(2026, 4, 1)] * 4 + [date(2026, 5, 1)]
    assert late[-1].officer_id == north["overdue"].officer_id


@pytest.mark.parametrize("period, expected", [
    ("month", [("2026-03-01", 2, 2), ("2026-05-01", 1, 3)]),
    ("week", [("2026-03-02", 1, 1), ("2026-03-09", 1, 2), ("2026-05-04", 1, 3)]),
])
def test_trend_counts_completions_per_period_with_a_running_total(engine, people, period, expected):
    north = people["north_trainee"].department_id
    with write_session(engine) as s:
        for days in (0, 8, 63):  # Mon 2 March, Tue 10 March, Mon 4 May
            add_attempt(s, add_officer(s, north, f"Officer {days}"), at=T0 + timedelta(days=days))
    with read_session(engine) as s:
        trend = dashboard.completion_trend(session=s, department_id=north, module_ids=MODULES, period=period)
    assert [(p.period_start, p.completions, p.cumulative) for p in trend] == expected


def test_statewide_rows_agree_with_each_department_dashboard(engine, north, people):
    with read_session(engine) as s:
        rows = statewide.compliance_by_department(session=s, module_ids=MODULES, today=TODAY)
        for dept_id in {people["north_trainee"].department_id, people["south_trainee"].department_id}:
            rates = department_overview(session=s, department_id=dept_id, module_ids=MODULES,
                                                  today=TODAY).rates
            mine = [(r.module_id, r.officers, r.assigned, r.passed, r.overdue, r.waived)
                    for r in rows if r.department_id == dept_id]
            assert mine == sorted((r.module_id, r.officers, r.assigned, r.passed, r.overdue, r.waived) for r in rates)


def test_rates_count_assigned_modules_only_and_the_matrix_says_which(engine, people):
    """One trainee, two of the modules assigned, one passed: 50%, whatever else they passed."""
    south = people["south_trainee"]
    with write_session(engine) as s:
        assign(s, "sample-module", date(2026, 9, 1), officer_id=south.officer_id)
        assign(s, "other-module", date(2026, 9, 1), officer_id=south.officer_id)
        add_attempt(s, south)
        add_attempt(s, people["south_supervisor"])  # passed, but nothing is assigned to them
    overview = _overview(engine, south.department_id)
    assert [(r.module_id, r.assigned, r.passed) for r in overview.rates] == [
        ("sample-module", 1, 1), ("other-module", 1, 0)]
    assert sum(r.passed for r in overview.rates) / sum(r.assigned for r in overview.rates) == 0.5
    assert {(c.officer_id, c.assigned) for c in overview.matrix if c.module_id == "other-module"} == {
        (south.officer_id, True), (people["south_supervisor"].officer_id, False)}
    with read_session(engine) as s:
        rows = statewide.compliance_by_department(session=s, module_ids=MODULES, today=TODAY)
    assert [(r.module_id, r.assigned, r.passed) for r in rows if r.department_id == south.department_id] == [
        ("other-module", 1, 0), ("sample-module", 1, 1)]


def test_a_waiver_makes_work_waived_not_overdue_in_the_matrix_and_statewide(engine, north, people, catalog):
    from training.administration.waivers import grant_waiver

    who = north["overdue"]  # own sample-module assignment due 2026-05-01; north's other-module due 2026-04-01
    with write_session(engine) as s:
        grant_waiver(session=s, actor=people["admin"], catalog=catalog, officer_id=who.officer_id, module_id=None,
                     cycle="2027", reason="leave", note="", starts_on=date(2026, 1, 1))
    overview = _overview(engine, who.department_id)
    mine = {c.module_id: c.status for c in overview.matrix if c.officer_id == who.officer_id}
    assert mine == {"sample-module": "waived", "other-module": "waived"}
    assert [(r.module_id, r.assigned, r.overdue, r.waived) for r in overview.rates] == [
        ("sample-module", 4, 0, 1), ("other-module", 4, 3, 1)]
    with read_session(engine) as s:
        rows = statewide.compliance_by_department(session=s, module_ids=MODULES, today=TODAY)
    assert [(r.module_id, r.overdue, r.waived) for r in rows if r.department_id == who.department_id] == [
        ("other-module", 3, 1), ("sample-module", 0, 1)]


def test_given_a_cycle_only_its_assignments_and_completions_count(engine, north):
    dept = north["passed"].department_id  # the seed's pass was recorded in cycle 2026 (its calendar year)
    with read_session(engine) as s:
        cells = {cycle: {(c.officer_id, c.module_id): (c.status, c.assigned) for c in department_overview(
            session=s, department_id=dept, module_ids=MODULES, today=TODAY, cycle=cycle).matrix}
            for cycle in ("2026", "2027")}
    assert cells["2026"][(north["passed"].officer_id, "sample-module")] == ("passed", False)
    assert cells["2027"][(north["passed"].officer_id, "sample-module")] == ("not started", True)
    assert cells["2026"][(north["overdue"].officer_id, "sample-module")] == ("overdue", True)  # own 2026 assignment
    assert cells["2027"][(north["overdue"].officer_id, "sample-module")] == ("not started", True)
