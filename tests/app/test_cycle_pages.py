"""Pages for adopted wording and re-certification, driven through AppTest."""

from tests.quiz_helpers import pass_quiz

POINT = "no-investigating-status"


def test_adopted_wording_sends_the_officer_to_recertify_and_the_supervisor_sees_it(run_page, people, catalog,
                                                                                   app_env):
    pass_quiz(app_env, people["north_trainee"], catalog)
    admin = run_page("app_pages/admin/wording.py", people["admin"], **{
        "wording.department": people["north_trainee"].department_id, "wording.point": POINT})
    key = f"wording.text.{people['north_trainee'].department_id}.{POINT}"
    admin.text_area(key=key).input("<b>Our agency</b> never asks about immigration status.")
    admin.button[0].click().run()
    assert not admin.exception and "Adopted wording saved." in [s.value for s in admin.success]
    assert "<b>Our agency</b> never asks about immigration status." in admin.dataframe[0].value.to_string()

    board = run_page("app_pages/supervisor/dashboard.py", people["north_supervisor"])
    [recert] = [d.value for d in board.dataframe if "Why" in d.value.columns]
    assert list(recert["Officer"]) == ["north trainee"]

    mine = run_page("app_pages/trainee/recertify.py", people["north_trainee"])
    assert "<b>Our agency</b> never asks about immigration status." in [t.value for t in mine.text]
    mine.button(key="recertify.start").click().run()
    assert not mine.exception
    assert [r.label for r in mine.radio] == [catalog.questions["smp-003"].stem]  # numbered above it (quiz_view)

    other = run_page("app_pages/trainee/recertify.py", people["south_trainee"])
    assert "Nothing to re-certify" in other.success[0].value  # another agency's wording is not theirs
