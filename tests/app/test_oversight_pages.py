"""Oversight pages show the right department's figures, and a supervisor never sees another's."""

import pytest

from tests.db.oversight_seed import department_with_every_status

DASHBOARD, ITEMS, OFFICER = "app_pages/supervisor/dashboard.py", "app_pages/supervisor/items.py", "app_pages/supervisor/officer.py"
REPORTS, STATEWIDE = "app_pages/supervisor/reports.py", "app_pages/admin/statewide.py"


@pytest.fixture
def seeded(engine, people):
    return department_with_every_status(engine, people)


def shown(at):
    """Every piece of text and every table cell on the page, as one string."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "text", "caption", "info", "success")
             for e in getattr(at, kind)]
    parts += [df.value.to_string() for df in at.dataframe] + [str(m.value) for m in at.metric]
    return "\n".join(str(p) for p in parts)


def table(at, *columns):
    """The first table on the page that has all these columns."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def test_a_supervisor_sees_their_own_department_on_the_dashboard(run_page, people, seeded):
    at = run_page(DASHBOARD, people["north_supervisor"])
    page = shown(at)
    assert "North Police" in page and "Ivy Inprogress" in page
    assert "South Police" not in page and "south trainee" not in page
    assert "dashboard.department" not in [s.key for s in at.selectbox]  # no department picker for supervisors


def test_an_administrator_picks_the_department(run_page, people, seeded):
    at = run_page(DASHBOARD, people["admin"])
    at.selectbox(key="dashboard.department").select(people["south_trainee"].department_id).run()
    page = shown(at)
    assert "South Police" in page and "south trainee" in page and "Ivy Inprogress" not in page


@pytest.mark.parametrize("path", [ITEMS, OFFICER, REPORTS])
def test_other_oversight_pages_run_for_a_supervisor_without_a_department_picker(run_page, people, seeded, path):
    at = run_page(path, people["south_supervisor"])
    assert not at.exception
    assert not [s for s in at.selectbox if s.key and s.key.endswith(".department")]
    assert "North Police" not in shown(at)


def test_officer_records_list_only_the_supervisors_own_officers(run_page, people, seeded):
    at = run_page(OFFICER, people["north_supervisor"])
    offered = at.selectbox(key="officer.pick").options
    assert any("Ivy Inprogress" in o for o in offered)
    assert not any("south" in o for o in offered)


def test_officer_drill_down_shows_the_answers_of_an_attempt(run_page, people, seeded):
    at = run_page(OFFICER, people["north_supervisor"])
    at.selectbox(key="officer.pick").select(people["north_trainee"].officer_id).run()
    assert "version" in shown(at) and "Question 1" in shown(at)


def test_item_analysis_counts_only_first_attempts_of_the_department(run_page, people, seeded):
    at = run_page(ITEMS, people["north_supervisor"])
    assert list(table(at, "Question", "Responses")["Responses"]) == [1, 1, 1, 1]


def test_statewide_view_lists_every_department_and_drills_down(run_page, people, seeded):
    at = run_page(STATEWIDE, people["admin"])
    assert set(table(at, "Department", "Overall")["Department"]) == {"North Police", "South Police"}
    at.selectbox(key="statewide.department").select(people["north_trainee"].department_id).run()
    assert "Nell Notstarted" in shown(at) and "south trainee" not in shown(at)
