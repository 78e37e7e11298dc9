"""Which pages each role has, as plain data. The router and the tests both read this."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title: str
    icon: str
    url_path: str
    roles: tuple[str, ...]
    section: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/trainee/my_training.py", "My training", ":material/school:", "my-training",
             ("trainee", "supervisor", "admin"), "Training"),
    PageSpec("app_pages/trainee/module.py", "Module", ":material/menu_book:", "module",
             ("trainee", "supervisor", "admin"), "Training"),
    PageSpec("app_pages/trainee/recertify.py", "Re-certify", ":material/published_with_changes:", "recertify",
             ("trainee", "supervisor", "admin"), "Training"),
    PageSpec("app_pages/trainee/records.py", "My records", ":material/workspace_premium:", "my-records",
             ("trainee", "supervisor", "admin"), "Training"),
    PageSpec("app_pages/supervisor/dashboard.py", "Department dashboard", ":material/monitoring:", "department",
             ("supervisor", "admin"), "Oversight"),
    PageSpec("app_pages/supervisor/items.py", "Item analysis", ":material/quiz:", "item-analysis",
             ("supervisor", "admin"), "Oversight"),
    PageSpec("app_pages/supervisor/officer.py", "Officer records", ":material/person_search:", "officer",
             ("supervisor", "admin"), "Oversight"),
    PageSpec("app_pages/supervisor/reports.py", "Reports and exports", ":material/download:", "reports",
             ("supervisor", "admin"), "Oversight"),
    PageSpec("app_pages/supervisor/evidence.py", "Evidence", ":material/gavel:", "evidence",
             ("supervisor", "admin"), "Oversight"),
    PageSpec("app_pages/admin/roster.py", "Roster import", ":material/upload_file:", "roster",
             ("supervisor", "admin"), "Oversight"),
    PageSpec("app_pages/admin/waivers.py", "Waivers", ":material/event_busy:", "waivers",
             ("supervisor", "admin"), "Oversight"),
    PageSpec("app_pages/admin/statewide.py", "Statewide view", ":material/map:", "statewide",
             ("admin",), "Administration"),
    PageSpec("app_pages/admin/people.py", "Departments and officers", ":material/group:", "people",
             ("admin",), "Administration"),
    PageSpec("app_pages/admin/assignments.py", "Assignments", ":material/assignment:", "assignments",
             ("admin",), "Administration"),
    PageSpec("app_pages/admin/cycles.py", "Training cycles", ":material/event_repeat:", "cycles",
             ("admin",), "Administration"),
    PageSpec("app_pages/admin/wording.py", "Adopted wording", ":material/gavel:", "adopted-wording",
             ("admin",), "Administration"),
    PageSpec("app_pages/admin/content.py", "Content and coverage", ":material/fact_check:", "content",
             ("admin",), "Administration"),
    PageSpec("app_pages/admin/audit.py", "Audit log", ":material/history:", "audit",
             ("admin",), "Administration"),
    PageSpec("app_pages/public/verify.py", "Check a certificate", ":material/verified:", "verify",
             ("trainee", "supervisor", "admin"), "Account"),
    PageSpec("app_pages/account.py", "Account", ":material/account_circle:", "account",
             ("trainee", "supervisor", "admin"), "Account"),
)


# Where each role lands after signing in (the app's root address): trainees on their training,
# supervisors on their department, administrators on the statewide view.
HOME: dict[str, str] = {"trainee": "my-training", "supervisor": "department", "admin": "statewide"}

# Pages anyone may open without signing in (the router adds them to the signed-out navigation).
PUBLIC_PAGES: tuple[PageSpec, ...] = tuple(p for p in PAGES if p.url_path == "verify")


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]
