"""The completion trend as supervisors read it (training/trend.py)."""

from datetime import date

from training.trend import trend_bars


def test_one_month_of_data_still_draws_and_is_marked_so_far():
    bars = trend_bars([("2027-03-01", 4)], today=date(2027, 3, 18), period="month")
    assert [(b.label, b.completions, b.so_far) for b in bars] == [("Mar 2027", 4, True)]


def test_quiet_periods_show_as_zero_and_only_the_current_one_is_so_far():
    bars = trend_bars([("2027-01-01", 5), ("2027-03-01", 2)], today=date(2027, 4, 2), period="month")
    assert [(b.label, b.completions, b.cumulative, b.so_far) for b in bars] == [
        ("Jan 2027", 5, 5, False), ("Feb 2027", 0, 5, False), ("Mar 2027", 2, 7, False), ("Apr 2027", 0, 7, True)]


def test_weeks_start_on_monday_and_cross_the_year():
    bars = trend_bars([("2026-12-28", 1)], today=date(2027, 1, 5), period="week")
    assert [(b.start, b.so_far) for b in bars] == [(date(2026, 12, 28), False), (date(2027, 1, 4), True)]


def test_no_completions_no_bars():
    assert trend_bars([], today=date(2027, 3, 1), period="month") == []
