"""Every page in the registry runs without an exception for every role allowed to see it,
and refuses every role that is not."""

import pytest

from app_pages.registry import PAGES

ROLE_PERSON = {"trainee": "north_trainee", "supervisor": "north_supervisor", "admin": "admin"}


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_runs_for_allowed_roles_and_refuses_others(spec, run_page, people):
    for role, person in ROLE_PERSON.items():
        at = run_page(spec.path, people[person])
        assert not at.exception, (spec.path, role, at.exception)
        refused = any("do not have access" in e.value for e in at.error)
        assert refused == (role not in spec.roles), (spec.path, role)
