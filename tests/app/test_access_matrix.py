"""Role x page x department: nobody sees another department's people or records, and a
trainee sees only their own, whatever they put in the URL or the session.

The matrix runs over whatever app_pages/registry.py lists, so every new page is guarded
the moment it is registered. "Sees" means anywhere in what the page rendered: text,
markdown, tables (their Arrow bytes), widget labels and options, captions, metrics.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import common
from app_pages.registry import PAGES
from tests.access_data import Secrets, seed_secrets
from tests.conftest import ROOT
from training.identity.principal import Principal

NORTH = {"trainee": "north_trainee", "supervisor": "north_supervisor"}
HOP_PARAMS = ("officer", "officer_id", "department", "department_id", "dept", "id", "attempt", "attempt_id")
HOP_KEY = re.compile(r"officer|department|dept|attempt", re.I)
CASES = [(spec, role) for spec in PAGES for role in ("trainee", "supervisor") if role in spec.roles]


@pytest.fixture
def secrets(engine, people, catalog, settings) -> Secrets:
    return seed_secrets(engine, people, catalog, settings)


def rendered(at: AppTest) -> str:
    """Everything the run put on screen, as one string (element protos include table bytes)."""
    out: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    out += [df.value.to_string() for df in at.dataframe]
    return "\n".join(out)


def run(path: str, who, params: dict[str, str] | None = None, state: dict[str, object] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=30)
    at.session_state[common.PRINCIPAL] = who
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.query_params.update(params or {})
    return at.run()


def forbidden(role: str, secrets: Secrets) -> tuple[str, ...]:
    # A supervisor may see their own department (Yolanda); a trainee sees only themself.
    return secrets.south.markers + (secrets.north_peer.markers if role == "trainee" else ())


def assert_nothing_leaks(at: AppTest, role: str, secrets: Secrets, where: str) -> None:
    screen = rendered(at)
    leaked = [m for m in forbidden(role, secrets) if m in screen]
    assert not leaked, f"{where}: {role} sees {leaked}"


@pytest.mark.parametrize(("spec", "role"), CASES, ids=[f"{s.url_path}-{r}" for s, r in CASES])
def test_north_users_see_nothing_of_south_or_of_others_they_should_not(app_env, people, secrets, spec, role):
    who = people[NORTH[role]]
    at = run(spec.path, who)
    assert not at.exception, at.exception
    assert_nothing_leaks(at, role, secrets, spec.path)


@pytest.mark.parametrize(("spec", "role"), CASES, ids=[f"{s.url_path}-{r}" for s, r in CASES])
def test_url_hopping_to_south_ids_gets_nothing(app_env, people, secrets, spec, role):
    """Query parameters and session keys naming south's department, officer or attempt show nothing of them."""
    who = people[NORTH[role]]
    south = secrets.south
    ids = {"officer": south.officer_id, "department": south.department_id, "dept": south.department_id,
           "attempt": south.attempt_id, "id": south.officer_id}
    params = {p: str(ids[p.split("_")[0]]) for p in HOP_PARAMS}
    at = run(spec.path, who, params=params)
    assert_nothing_leaks(at, role, secrets, f"{spec.path}?{params}")
    # Then point every widget that picks an officer, department or attempt at south's ids.
    keys = {w.key for w in (*at.selectbox, *at.number_input, *at.text_input, *at.radio)
            if w.key and HOP_KEY.search(w.key)}
    if keys:
        state = {k: ids["department" if re.search("dep", k, re.I) else "attempt" if "attempt" in k else "officer"]
                 for k in keys}
        hopped = run(spec.path, who, params=params, state=state)
        assert_nothing_leaks(hopped, role, secrets, f"{spec.path} with {state}")


def test_the_detector_sees_south_where_it_is_allowed(app_env, people, secrets):
    """Positive control: an administrator finds Zebulon on the people page, so absence above means something."""
    at = run("app_pages/admin/people.py", people["admin"], state={"people.find.text": "zebulon"})
    assert "Zebulon Southwick" in rendered(at) and "ZEB-4242" in rendered(at)


def test_a_trainee_sees_their_own_records(app_env, people, secrets):
    """Positive control for trainees: Yolanda's own records page shows her certificate code."""
    peer = secrets.north_peer
    yolanda = Principal(peer.officer_id, "Yolanda Northcott", "trainee", peer.department_id)
    screen = rendered(run("app_pages/trainee/records.py", yolanda))
    assert peer.markers[-1] in screen


def test_a_supervisor_sees_their_own_department_somewhere(app_env, people, secrets):
    """Positive control for supervisors: some oversight page shows Yolanda, north's own officer."""
    pages = [spec for spec in PAGES if "supervisor" in spec.roles and "trainee" not in spec.roles]
    shown = [spec.path for spec in pages if "Yolanda Northcott" in rendered(run(spec.path, people["north_supervisor"]))]
    assert shown, "no oversight page shows the supervisor's own officers"
