"""Status from expected pace, as pure functions: the cycle's first and last day, decreasing targets."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.goal_pace import (
    AT_RISK,
    BEHIND,
    ON_TRACK,
    cycle_of,
    elapsed_share,
    expected,
    milestone_status,
    status,
    worst,
)

Q1 = (date(2027, 1, 1), date(2027, 3, 31))


def test_nothing_is_expected_on_the_first_day_and_everything_on_the_last():
    first, last = Q1
    assert elapsed_share(first=first, last=last, today=first) == 0
    assert elapsed_share(first=first, last=last, today=last) == 1
    assert elapsed_share(first=first, last=last, today=last + timedelta(days=30)) == 1
    assert elapsed_share(first=first, last=last, today=first - timedelta(days=3)) == 0
    assert expected(start=0, target=40, share=0) == 0 and expected(start=0, target=40, share=1) == 40
    assert status(start=0, target=40, current=0, share=0) == ON_TRACK
    assert status(start=0, target=40, current=39, share=1) == ON_TRACK  # within 10% of 40
    assert status(start=0, target=40, current=35, share=1) == AT_RISK
    assert status(start=0, target=40, current=27, share=1) == BEHIND  # below 70% of 40


def test_half_way_through_the_quarter():
    # 12 of 40 with 15 expected: 80% of the pace is at risk; 10 of 40 is behind (below 70%).
    assert status(start=0, target=40, current=14, share=0.375) == ON_TRACK
    assert status(start=0, target=40, current=12, share=0.375) == AT_RISK
    assert status(start=0, target=40, current=10, share=0.375) == BEHIND


def test_a_decreasing_target_reads_like_an_increasing_one():
    # Churn from 8% down to 3%: half-way, 5.5 is expected; 6 is 80% of the way expected.
    assert expected(start=8, target=3, share=0.5) == 5.5
    assert status(start=8, target=3, current=5.5, share=0.5) == ON_TRACK
    assert status(start=8, target=3, current=6, share=0.5) == AT_RISK
    assert status(start=8, target=3, current=7, share=0.5) == BEHIND
    assert status(start=8, target=3, current=9, share=0) == BEHIND  # went the wrong way on day one
    assert status(start=8, target=3, current=2, share=1) == ON_TRACK  # beyond the target


def test_a_milestone_is_on_track_until_its_cycle_ends_undone():
    assert milestone_status(done=False, share=0.99) == ON_TRACK
    assert milestone_status(done=False, share=1) == BEHIND
    assert milestone_status(done=True, share=1) == ON_TRACK


def test_an_objective_takes_its_worst_key_result():
    assert worst([ON_TRACK, BEHIND, AT_RISK]) == BEHIND
    assert worst([ON_TRACK, AT_RISK]) == AT_RISK
    assert worst([]) == ON_TRACK


def test_cycles():
    assert cycle_of(date(2026, 11, 24), kind="quarter") == (date(2026, 10, 1), date(2026, 12, 31))
    assert cycle_of(date(2027, 2, 28), kind="quarter") == Q1
    assert cycle_of(date(2027, 7, 1), kind="half") == (date(2027, 7, 1), date(2027, 12, 31))
    assert cycle_of(date(2028, 2, 29), kind="year") == (date(2028, 1, 1), date(2028, 12, 31))


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
shares = st.floats(min_value=0, max_value=1)


@given(start=values, target=values, current=values, share=shares)
def test_a_mirrored_key_result_has_the_same_status(start, target, current, share):
    """Counting down is counting up seen in a mirror: negating every value changes nothing."""
    if start == target:
        return
    assert status(start=start, target=target, current=current, share=share) == status(
        start=-start, target=-target, current=-current, share=share
    )


@given(start=values, target=values, current=values, more=st.floats(min_value=0, max_value=1e6), share=shares)
def test_more_progress_never_reads_worse(start, target, current, more, share):
    if start == target:
        return
    order = [ON_TRACK, AT_RISK, BEHIND]
    further = current + more if target > start else current - more
    before = status(start=start, target=target, current=current, share=share)
    after = status(start=start, target=target, current=further, share=share)
    assert order.index(after) <= order.index(before)


@given(start=values, target=values, share=shares)
def test_being_exactly_on_pace_is_on_track(start, target, share):
    if abs(target - start) < 1e-3:
        return
    current = expected(start=start, target=target, share=share)
    assert status(start=start, target=target, current=current, share=share) == ON_TRACK


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    kind=st.sampled_from(["quarter", "half", "year"]),
)
def test_every_day_falls_in_its_cycle(day, kind):
    first, last = cycle_of(day, kind=kind)
    assert first <= day <= last and first.day == 1 and (last + timedelta(days=1)).day == 1
