"""Days and numbers as people type them: what is read, and what is asked back instead of guessed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.dates import parse_day
from bot.errors import UserError
from bot.i18n import Catalogue
from bot.insights.period import parse_period
from bot.numbers import leading_id, read_id, small_count

DEC_8 = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)  # a Tuesday
NOV_24 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday
CATALOGUE = Catalogue.load()


def asked(text: str, *, now: datetime = DEC_8, locale: str = "en") -> tuple[str, str]:
    """The question a phrase is answered with: its key, and its text in `locale`."""
    with pytest.raises(UserError) as error:
        parse_day(text, now=now)
    return error.value.key, error.value.explain(CATALOGUE.messages(locale))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-10", "2026-12-10"),
        ("２０２６－１２－１０", "2026-12-10"),
        ("dec 20", "2026-12-20"),
        ("20 December", "2026-12-20"),
        ("5th of December 2027", "2027-12-05"),
        ("Dec 5, 2027", "2027-12-05"),
        ("2027年12月5日", "2027-12-05"),
        ("12月20日", "2026-12-20"),
        ("十二月二十号", "2026-12-20"),
        ("the 20th", "2026-12-20"),
        ("20号", "2026-12-20"),
        ("下个月5号", "2027-01-05"),
        ("tomorrow", "2026-12-09"),
        ("后天", "2026-12-10"),
        ("friday", "2026-12-11"),
        ("on friday", "2026-12-11"),
        ("周五", "2026-12-11"),
        ("下周一", "2026-12-14"),
        ("monday next week", "2026-12-14"),
        ("下下周一", "2026-12-21"),
        ("monday after next", "2026-12-21"),
        ("the monday after next", "2026-12-21"),
        ("两周后", "2026-12-22"),
        ("2周后", "2026-12-22"),
        ("过两周", "2026-12-22"),
        ("两个星期以后", "2026-12-22"),
        ("in two weeks", "2026-12-22"),
        ("in 2 weeks", "2026-12-22"),
        ("two weeks from now", "2026-12-22"),
        ("a fortnight", "2026-12-22"),
        ("三天后", "2026-12-11"),
        ("一个月后", "2027-01-08"),
        ("in a month", "2027-01-08"),
        ("月初", "2027-01-01"),
        ("下个月初", "2027-01-01"),
        ("start of next month", "2027-01-01"),
        ("beginning of the month", "2027-01-01"),
        ("月底", "2026-12-31"),
        ("end of month", "2026-12-31"),
        ("下月底", "2027-01-31"),
        ("end of next month", "2027-01-31"),
        ("年底", "2026-12-31"),
    ],
)
def test_days_as_people_type_them(text, expected):
    assert parse_day(text, now=DEC_8) == date.fromisoformat(expected)


def test_a_month_start_on_the_first_is_that_day():
    assert parse_day("月初", now=datetime(2026, 12, 1, 10, tzinfo=UTC)) == date(2026, 12, 1)


@pytest.mark.parametrize("text", ["Dec 5", "5 december", "december 5th", "12月5日", "十二月五日"])
def test_a_day_without_a_year_that_has_passed_is_asked_back_not_moved_to_next_year(text):
    key, question = asked(text)
    assert key == "date.year_needed"
    assert question == (
        f"“{text}” has already passed this year. Did you mean Sun 5 Dec 2027? "
        "If so, please type the year too, like 2027-12-05."
    )


def test_the_question_is_in_the_persons_language():
    assert asked("12月5日", locale="zh-Hans")[1] == (
        "今年的“12月5日”已经过去了。你是指 2027年12月5日（周日） 吗？如果是，请连年份一起写，例如 2027-12-05。"
    )


def test_a_new_year_date_in_december_is_asked_back_too():
    assert asked("1月5日", now=NOV_24)[0] == "date.year_needed"
    assert parse_day("2027年1月5日", now=NOV_24) == date(2027, 1, 5)


@pytest.mark.parametrize("text", ["the 5th", "5th", "5号"])
def test_a_day_of_the_month_that_has_passed_is_asked_back_with_the_month(text):
    key, question = asked(text)
    assert key == "date.month_needed"
    assert "Did you mean Tue 5 Jan 2027? If so, please type the month too, like 2027-01-05." in question


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("next week", "“next week” doesn't say which day."),
        ("下个月", "“下个月” doesn't say which day."),
        ("5", "I couldn't read “5” as a date."),
        ("june", "I couldn't read “june” as a date."),
        ("2027", "I couldn't read “2027” as a date."),
        ("noon", "I couldn't read “noon” as a date."),
        ("dec ²", "I couldn't read “dec ²” as a date."),
        ("friday after next", "could mean Fri 18 Dec 2026 or Fri 25 Dec 2026."),
        ("5/12", "could mean Wed 12 May 2027 or Sun 5 Dec 2027."),
        ("这周一", "“这周一” is Mon 7 Dec 2026, which has already passed."),
        ("last friday", "“last friday” is Fri 4 Dec 2026, which has already passed."),
        ("9999-12-31", "“9999-12-31” is Fri 31 Dec 9999, more than five years away."),
        ("2031-12-09", "Please give a date before Mon 8 Dec 2031."),
    ],
)
def test_what_is_not_one_day_from_today_on_is_asked_back(text, fragment):
    assert fragment in asked(text)[1]


def test_five_years_ahead_is_still_read():
    assert parse_day("2031-12-08", now=DEC_8) == date(2031, 12, 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", (12, "")), ("#12 and more", (12, "and more")), ("＃１２", (12, "")), ("007", (7, ""))],
)
def test_an_items_number(text, expected):
    assert leading_id(text, bad="bad", missing="missing") == expected


@pytest.mark.parametrize("text", ["", "²", "٣", "12a", "#", "-3", "1.5", "twelve"])
def test_what_is_not_an_items_number_is_refused(text):
    with pytest.raises(UserError) as error:
        read_id(text, bad="bad", missing="missing")
    assert error.value.key == "bad"


@pytest.mark.parametrize("text", ["0", "99999999999999999999999", "2147483648", "9" * 5000])
def test_a_number_no_item_can_have_is_not_found(text):
    with pytest.raises(UserError) as error:
        read_id(text, bad="bad", missing="missing")
    assert error.value.key == "missing"


@pytest.mark.parametrize(
    ("word", "count"),
    [("3", 3), ("three", 3), ("a", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十五", 25), ("３", 3)],
)
def test_small_counts(word, count):
    assert small_count(word) == count


@pytest.mark.parametrize("word", ["0", "²", "十十", "many", "1000", ""])
def test_what_is_not_a_small_count(word):
    assert small_count(word) is None


@pytest.mark.parametrize("text", ["9999", "0000", "1999", "1999-Q4", "2101-12"])
def test_a_report_period_beyond_the_years_a_report_covers_is_said_so(text):
    with pytest.raises(UserError) as error:
        parse_period(text)
    assert error.value.explain(CATALOGUE.messages("en")) == (
        f"“{text}” is outside the years reports cover: give a period from 2000 to 2100."
    )


@pytest.mark.parametrize("text", ["２０２６-Q9", "2026-13", "last year"])
def test_an_unreadable_report_period_is_asked_back(text):
    with pytest.raises(UserError) as error:
        parse_period(text)
    assert error.value.key == "insights.bad_period"


def test_a_report_period_in_full_width_digits_is_read():
    assert parse_period("２０２６-Q4").label == "2026-Q4"


DEC_11 = datetime(2026, 12, 11, 10, 0, tzinfo=UTC)  # a Friday


@pytest.mark.parametrize("text", ["friday", "on Friday", "fri", "周五", "星期五"])
def test_a_weekday_typed_on_that_weekday_asks_today_or_next_week(text):
    key, question = asked(text, now=DEC_11)
    assert key == "date.ambiguous"
    assert question == (
        f"“{text}” could mean Fri 11 Dec 2026 or Fri 18 Dec 2026. Which one? Please write the date, like 2026-12-11."
    )
    assert "可能是 2026年12月11日（周五），也可能是 2026年12月18日（周五）" in asked(text, now=DEC_11, locale="zh-Hans")[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("this friday", "2026-12-11"), ("这周五", "2026-12-11"), ("today", "2026-12-11"), ("saturday", "2026-12-12")],
)
def test_on_a_friday_this_friday_is_today_and_other_weekdays_are_the_coming_ones(text, expected):
    assert parse_day(text, now=DEC_11) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("Feb 29", "There is no “Feb 29”: that month ends on Sun 28 Feb 2027.", "那个月的最后一天是 2027年2月28日（周日）"),
        ("2027-02-29", "ends on Sun 28 Feb 2027.", "2027年2月28日"),
        ("2027-02-30", "ends on Sun 28 Feb 2027.", "2027年2月28日"),
        ("April 31", "There is no “April 31”: that month ends on Fri 30 Apr 2027.", "2027年4月30日（周五）"),
        ("2月30日", "There is no “2月30日”: that month ends on Sun 28 Feb 2027.", "没有“2月30日”这一天"),
    ],
)
def test_a_day_the_month_does_not_have_is_named_as_such(text, en, zh):
    now = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
    key, question = asked(text, now=now)
    assert key == "date.no_such_day" and en in question
    assert zh in asked(text, now=now, locale="zh-Hans")[1]
    assert parse_day("Feb 29", now=datetime(2028, 1, 4, tzinfo=UTC)) == date(2028, 2, 29)
