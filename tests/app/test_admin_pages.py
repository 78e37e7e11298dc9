"""The administration pages driven through AppTest: people, roster import, assignments, audit log."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app_pages.common import plain
from app_pages.registry import PAGES
from db.engine import read_session, write_session
from db.models import Assignment, AuditEvent, Officer
from training.administration.officers import create_officer

HTML_NAME = "<script>alert('pwned')</script><b>Bold</b> <img src=x onerror=alert(1)>"
RAW_TAG = re.compile(r"(?<!\\)<(script|b|img)\b", re.I)


def test_an_admin_edits_an_officer_from_the_page(run_page, engine, people):
    at = run_page("app_pages/admin/people.py", people["admin"], **{"people.find.text": "north-trainee"})
    oid = people["north_trainee"].officer_id
    at.text_input(key=f"people.details.name.{oid}").set_value("Nora North")
    at.button(key=f"FormSubmitter:people.details.{oid}-Save details").click().run()
    assert not at.exception and [s.value for s in at.success] == [plain("Details saved.")]
    with read_session(engine) as s:
        assert s.get(Officer, oid).name == "Nora North"


def test_deactivating_from_the_page_keeps_the_officer_listed(run_page, people):
    oid = people["south_trainee"].officer_id
    at = run_page("app_pages/admin/people.py", people["admin"], **{"people.find.text": "south-trainee"})
    at.button(key=f"people.active.{oid}").click().run()
    assert [s.value for s in at.success] == [plain("Deactivated; their sessions have ended.")]
    assert at.dataframe[0].value["Active"].tolist() == [False]
    assert at.button(key=f"people.active.{oid}").label == "Reactivate"


def test_roster_preview_lists_bad_rows_and_import_stays_disabled(run_page, people):
    at = run_page("app_pages/admin/roster.py", people["north_supervisor"])
    data = b"name,badge_number,email,department_code\nAl,N-1,al@north.example.org,NORTH\nBo,N-2,bad,NORTH\n"
    at.file_uploader[0].set_value(("roster.csv", data, "text/csv")).run()
    assert not at.exception
    problems = at.dataframe[0].value
    assert problems["Row"].tolist() == [3] and "not an email address" in problems["Problem"][0]
    assert at.button(key="roster.import").disabled


def test_roster_import_from_the_page(run_page, engine, people):
    at = run_page("app_pages/admin/roster.py", people["north_supervisor"])
    data = f'name,badge_number,email,department_code\n"{HTML_NAME}",N-1,al@north.example.org,NORTH\n'.encode()
    at.file_uploader[0].set_value(("roster.csv", data, "text/csv")).run()
    at.button(key="roster.import").click().run()
    assert [s.value for s in at.success] == ["Imported 1 officers: 1 trainee(s)."]
    with read_session(engine) as s:
        assert s.exec(select(Officer.name).where(Officer.badge_number == "N-1")).one() == HTML_NAME


def test_a_file_that_is_not_utf8_gets_a_clear_error_on_the_page(run_page, people):
    at = run_page("app_pages/admin/roster.py", people["admin"])
    data = "name,badge_number,email,department_code\nRenée,N-1,r@north.example.org,NORTH\n".encode("cp1252")
    at.file_uploader[0].set_value(("roster.csv", data, "text/csv")).run()
    assert "not UTF-8" in at.error[0].value and "(row 2)" in at.error[0].value


def test_assigning_a_module_to_a_department_from_the_page(run_page, engine, people):
    at = run_page("app_pages/admin/assignments.py", people["admin"])
    at.text_input(key="assign.cycle").set_value("2027")
    at.button(key="assign.submit").click().run()
    assert not at.exception and [s.value for s in at.success] == ["Assigned: 1 assignment(s) created."]
    assert at.dataframe[0].value["Cycle"].tolist() == ["2027"]
    with read_session(engine) as s:
        assert len(s.exec(select(Assignment)).all()) == 1


def test_an_invalid_cycle_is_explained(run_page, people):
    at = run_page("app_pages/admin/assignments.py", people["admin"])
    at.text_input(key="assign.cycle").set_value("27")
    at.button(key="assign.submit").click().run()
    assert "not a training cycle" in at.error[0].value


def test_the_audit_log_filters_by_who_and_pages(run_page, engine, people):
    with write_session(engine) as s:
        for i in range(60):
            s.add(AuditEvent(action="test.poke", actor_id=people["north_supervisor"].officer_id, detail=f'{{"n": {i}}}'))
    at = run_page("app_pages/admin/audit.py", people["admin"])
    assert len(at.table[0].value) == 50 and at.table[1].value["Action"].iloc[0] == r"test\.poke"  # escaped: plain text
    at.button(key="audit.older").click().run()
    assert len(at.table[0].value) > 0 and at.button(key="audit.newer").disabled is False
    at.text_input(key="audit.actor").set_value("admin@example.org")
    at.button(key="FormSubmitter:audit.filters-Apply filters").click().run()
    assert {a.replace("\\", "") for a in at.table[1].value["Action"]} <= {
        "account.first_admin", "department.create", "account.create"}


@pytest.mark.parametrize("spec", [p for p in PAGES if "admin" in p.roles], ids=lambda p: p.url_path)
def test_html_in_names_is_never_rendered_as_html(run_page, engine, people, settings, spec):
    with write_session(engine) as s:
        create_officer(session=s, actor=people["admin"], name=HTML_NAME, email="html@north.example.org",
                       badge_number="HTML-1", department_id=people["north_trainee"].department_id, role="trainee",
                       settings=settings)
    at = run_page(spec.path, people["admin"], **{"people.find.text": "HTML-1"})
    assert not at.exception
    for md in (*at.markdown, *at.caption, *at.success, *at.error, *at.info, *at.warning):
        assert not RAW_TAG.search(md.value), (spec.path, md.value)
        assert not (getattr(md.proto, "allow_html", False) and "pwned" in md.value), spec.path
    assert not [h for h in at.get("html") if "pwned" in str(h.proto)], spec.path
