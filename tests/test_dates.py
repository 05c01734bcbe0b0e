"""Date mentions: month-day forms, relative words from the cable's own day, and what is not a date."""

from __future__ import annotations

import pandas as pd

from cablelab.dates import ANY_CASE_NEEDLES, NEEDLES, RELATIVE, STARTS, find_dates

ANCHOR = pd.Timestamp("1962-11-26 21:28")


def surfaces_and_days(text: str, anchor=ANCHOR) -> list[tuple[str, str]]:
    return [(row["surface"], f"{row['date']:%Y-%m-%d}" if not pd.isna(row["date"]) else "NaT") for row in find_dates(text, anchor)]


def test_month_and_day_take_the_year_of_the_cable():
    assert surfaces_and_days("letter of October 28(2) and statement of November 20;(4)") == [
        ("October 28", "1962-10-28"),
        ("November 20", "1962-11-20"),
    ]


def test_a_printed_year_is_kept():
    assert surfaces_and_days("On November 20, 1962, at his news conference") == [("November 20, 1962", "1962-11-20")]


def test_day_month_and_short_year_as_telegraphese_writes_them():
    assert surfaces_and_days("Meeting McCloy/Kuznetsov, Sat 24 Nov 62.") == [("24 Nov 62", "1962-11-24")]


def test_today_and_tonight_are_the_cables_own_day():
    rows = find_dates("conversation with McCloy today: at your meeting with Mikoyan tonight", ANCHOR)
    assert [(r["surface"], r["date"], r["relative"]) for r in rows] == [
        ("today", pd.Timestamp("1962-11-26"), True),
        ("tonight", pd.Timestamp("1962-11-26"), True),
    ]


def test_yesterday_tomorrow_and_this_morning_count_from_the_cable():
    assert surfaces_and_days("yesterday, tomorrow morning and this morning") == [
        ("yesterday", "1962-11-25"),
        ("tomorrow morning", "1962-11-27"),
        ("this morning", "1962-11-26"),
    ]


def test_a_weekday_is_the_nearest_such_day():
    thursday = pd.Timestamp("1962-10-25 02:00")
    assert surfaces_and_days("first thing Thursday morning; late Wednesday night", thursday) == [
        ("Thursday", "1962-10-25"),
        ("Wednesday", "1962-10-24"),
    ]


def test_file_citations_page_ranges_and_bare_years_are_not_dates():
    text = "Central Files, 737.56361/11-2662; Current Documents, 1962, pp. 446-447; General, 11/1/62-11/6/62; receipt #1073--11/15/63"
    assert find_dates(text, ANCHOR) == []


def test_without_an_anchor_relative_words_and_yearless_dates_are_nat():
    assert surfaces_and_days("today, October 28", anchor=None) == [("today", "NaT"), ("October 28", "NaT")]


def test_an_impossible_day_is_not_a_date():
    assert find_dates("February 30 and May 45", ANCHOR) == []


def test_offsets_point_at_the_surface():
    text = "Re urtel 1943 of November 26, believe"
    (row,) = find_dates(text, ANCHOR)
    assert text[row["start"] : row["end"]] == "November 26"


def test_relative_words_are_found_in_any_case():
    assert [r["surface"] for r in find_dates("TODAY, Tonight, LAST NIGHT, This Evening, Day after tomorrow", ANCHOR)] == [
        "TODAY",
        "Tonight",
        "LAST NIGHT",
        "This Evening",
        "Day after tomorrow",
    ]


def test_without_an_anchor_a_year_known_otherwise_dates_month_and_day():
    assert surfaces_and_days("his October 27 letter, yesterday", anchor=None) == [("October 27", "NaT"), ("yesterday", "NaT")]
    rows = find_dates("his October 27 letter, yesterday", None, year=1962)
    assert [(r["surface"], str(r["date"])[:10]) for r in rows] == [("October 27", "1962-10-27"), ("yesterday", "NaT")]


def test_relative_words_in_mixed_case_and_a_day_month_at_the_very_start():
    assert surfaces_and_days("4 Nov 62: tODAY and Last Night") == [
        ("4 Nov 62", "1962-11-04"), ("tODAY", "1962-11-26"), ("Last Night", "1962-11-25")]


def test_every_start_word_holds_a_needle():
    """find_dates tries its shapes only at words holding a needle: a new shape needs one."""
    for word in STARTS:  # months and weekdays, as written
        assert any(needle in word for needle in NEEDLES) or any(needle in word.lower() for needle in ANY_CASE_NEEDLES), word
    for phrase in RELATIVE:
        assert any(needle in phrase.split()[0] for needle in ANY_CASE_NEEDLES), phrase
