import pytest
from sqlalchemy import text

from db.engine import read_session
from training.content import ROOT, load_catalog
from training.demo import seed_demo
from training.errors import SetupAlreadyDone


def test_seed_demo_fills_an_empty_database_with_people_and_history(engine, settings):
    accounts = seed_demo(engine, load_catalog(ROOT), settings)
    assert {a.role for a in accounts} == {"admin", "supervisor", "trainee"}
    with read_session(engine) as s:
        assert s.execute(text("select count(*) from attempt where status = 'submitted'")).scalar() > 0
        assert s.execute(text("select count(*) from department")).scalar() == 3


def test_seed_demo_refuses_a_database_that_has_accounts(engine, people, settings):
    with pytest.raises(SetupAlreadyDone):
        seed_demo(engine, load_catalog(ROOT), settings)
