"""The synthetic state: loads on both backends, passes the records check, and its figures agree."""

from datetime import date

from db.engine import make_engine, read_session
from db.queries import statewide
from training.commands.generate_state import generate_state
from training.content import load_catalog
from training.evidence.integrity import verify_records
from training.status import department_overview
from training.synthetic import Plan

PLAN = Plan(departments=3, officers=90, today=date(2026, 11, 28))


def test_a_small_synthetic_state_loads_and_its_records_verify(database_url):
    counts = generate_state(database_url, PLAN, log=False)
    assert (counts["department"], counts["officer"]) == (3, 90)
    assert counts["answer"] == 10 * counts["attempt"] > 0
    engine = make_engine(database_url)
    with read_session(engine) as s:
        assert verify_records(session=s).ok
    engine.dispose()


def test_synthetic_figures_agree_between_department_and_statewide_views(database_url):
    generate_state(database_url, PLAN, log=False)
    engine, modules = make_engine(database_url), [m.id for m in load_catalog().modules_in_order()]
    with read_session(engine) as s:
        state = statewide.compliance_by_department(session=s, module_ids=modules, today=PLAN.today)
        for dept in (1, 2, 3):
            rates = department_overview(session=s, department_id=dept, module_ids=modules,
                                                  today=PLAN.today).rates
            assert sorted((r.module_id, r.officers, r.passed, r.overdue) for r in rates) == [
                (r.module_id, r.officers, r.passed, r.overdue) for r in state if r.department_id == dept]
    engine.dispose()
