"""Finding 1: a widget callback runs before the router, so every write re-checks the session first.

Before the fix, _submit/_save/go_next wrote with the Principal kept from the previous page run:
a deactivated officer, or one whose session had passed 12 hours, still submitted and was given
a completion (both cases below failed then)."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from db.models import utcnow
from training.administration.officers import set_officer_active

MODULE = "app_pages/trainee/module.py"


def end_access(engine, people, how):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        if how == "deactivated":
            set_officer_active(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                               active=False)
        elif how == "expired 13 h ago":
            s.execute(text("update user_session set created_at = :t"), {"t": utcnow() - timedelta(hours=13)})


def count(engine, sql):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return s.execute(text(sql)).scalar()


@pytest.mark.parametrize("how", ["still signed in", "deactivated", "expired 13 h ago"])
def test_a_quiz_submitted_after_the_session_ended_is_not_recorded(run_page, people, app_env, how):
    at = run_page(MODULE, people["north_trainee"], **{"module.selected": "sample-module"})
    at.button(key="module.next.sample-module.first-lesson").click().run()
    at.button(key="module.next.sample-module.second-lesson").click().run()
    at.button(key="quiz.start.sample-quiz").click().run()
    [b for b in at.button if b.key and b.key.startswith("quiz.submit.")][0].click().run()  # asks to confirm
    [c for c in at.checkbox if c.key and c.key.startswith("quiz.confirm.")][0].check().run()
    end_access(app_env, people, how)
    [b for b in at.button if b.key and b.key.startswith("quiz.submit.")][0].click().run()
    submitted = count(app_env, "select count(*) from attempt where status <> 'open'")
    assert submitted == (1 if how == "still signed in" else 0)  # the first case is the positive control


def test_a_lesson_marked_read_after_deactivation_is_not_recorded(run_page, people, app_env):
    at = run_page(MODULE, people["north_trainee"], **{"module.selected": "sample-module"})
    end_access(app_env, people, "deactivated")
    at.button(key="module.next.sample-module.first-lesson").click().run()
    assert count(app_env, "select count(*) from lesson_progress") == 0


def test_every_widget_callback_in_the_pages_rechecks_the_session_first():
    """A guard for pages added later: a callback given to on_click/on_change must call
    common.acting_principal before anything else (the positive control: a bare callback is found)."""
    import ast

    from tests.conftest import ROOT

    def unchecked(source: str) -> list[str]:
        tree = ast.parse(source)
        names = {kw.value.id for n in ast.walk(tree) if isinstance(n, ast.Call) for kw in n.keywords
                 if kw.arg in ("on_click", "on_change") and isinstance(kw.value, ast.Name)}
        defs = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        return [name for name in names if name in defs and "acting_principal" not in ast.unparse(defs[name].body[0])]

    assert unchecked("def cb():\n    write()\nst.button('x', on_click=cb)\n") == ["cb"]
    problems = {str(p.relative_to(ROOT)): unchecked(p.read_text()) for p in (ROOT / "app_pages").rglob("*.py")}
    assert {path: names for path, names in problems.items() if names} == {}
