"""Complementary suppression (`bot.anonymity.suppression`), against an attacker who sees every view HR
may see (the organisation, each department, each team within one, each manager's whole team) over every
period of a year (each month, each quarter, the year) and adds and subtracts them, over random
organisations and random activity."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.anonymity.groups import SPANS, YEAR, Counts, Part
from bot.anonymity.suppression import Protection, protect
from tests.anonymity_attacker import Knowledge

T = 3
DEPARTMENTS = ("Engineering", "Sales", "Legal", None)


@dataclass(frozen=True)
class Organisation:
    """Who is in which part, and each person's count in each month (of one table)."""

    people: dict[Part, list[list[int]]]  # part → per person, 12 monthly counts

    def counts(self) -> Counts:
        """What the store gives `protect`: sizes, and people behind each part's figure per span."""
        return Counts(
            size={part: len(persons) for part, persons in self.people.items()},
            people=[
                {
                    part: [sum(1 for p in persons if sum(p[m - 1] for m in span)) for span in SPANS]
                    for part, persons in self.people.items()
                }
            ],
        )

    def groups(self) -> dict[str, frozenset[Part]]:
        """Every group a view shows, for HR: the organisation, departments, parts, managers' teams."""
        parts = list(self.people)
        found = {"organisation": frozenset(parts)}
        for department in {p[0] for p in parts}:
            found[f"department {department}"] = frozenset(p for p in parts if p[0] == department)
        for part in parts:
            found[f"part {part}"] = frozenset({part})
        for manager in {p[1] for p in parts if p[1] is not None}:
            found[f"team of {manager}"] = frozenset(p for p in parts if p[1] == manager)
        return found

    def active(self, part: Part, month: int) -> bool:
        return any(person[month - 1] for person in self.people[part])

    def behind(self, parts: frozenset[Part], months: frozenset[int]) -> int:
        return sum(1 for part in parts for p in self.people[part] if sum(p[m - 1] for m in months))


@st.composite
def organisations(draw) -> Organisation:
    """Up to eight parts of one to six people in up to three departments, some managers' teams
    spanning two; each person busy every month, most months or now and then."""
    departments = draw(st.lists(st.sampled_from(DEPARTMENTS), min_size=1, max_size=3, unique=True))
    managers = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3, unique=True))
    parts = draw(
        st.lists(
            st.tuples(st.sampled_from(departments), st.sampled_from([None, *managers])),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )

    def person():
        busy = draw(st.sampled_from([0.15, 0.6, 0.95]))
        return [draw(st.sampled_from([1, 2])) if draw(st.floats(0, 1)) < busy else 0 for _ in range(12)]

    return Organisation(people={part: [person() for _ in range(draw(st.integers(1, 6)))] for part in parts})


def cells(parts: frozenset[Part], months: frozenset[int]) -> list[tuple[Part, int]]:
    return [(part, month) for part in parts for month in months]


def combined(org: Organisation, protection: Protection) -> list[frozenset[Part]]:
    """The rows a report adds for groups shown only together: per block, the departments it touches
    (the organisation's view) and, in each department, the teams it touches (the department's)."""
    found = []
    for block in protection.blocks:
        found.append(frozenset(p for p in org.people if p[0] in block.departments))
        for department in block.departments:
            found.append(frozenset(p for p in block.parts if p[0] == department))
    return found


def views(org: Organisation, protection: Protection) -> tuple[list, list]:
    """Every (group, period) a view can show, split into shown and hidden."""
    shown, hidden = [], []
    for group in [*org.groups().values(), *combined(org, protection)]:
        for span in SPANS:
            (shown if protection.shows(group, span) else hidden).append((group, span))
    return shown, hidden


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(organisations())
def test_no_hidden_figure_can_be_worked_out_from_every_view_together(org):
    protection = protect(org.counts(), threshold=T)
    shown, hidden = views(org, protection)
    attacker = Knowledge()
    for group, span in shown:
        attacker.add(cells(group, span))
    for group, span in hidden:
        assert not attacker.knows(cells(group, span)), (sorted(group, key=repr), sorted(span))


@PROPERTY
@given(organisations())
def test_every_figure_shown_is_about_none_or_at_least_three_people(org):
    protection = protect(org.counts(), threshold=T)
    shown, _ = views(org, protection)
    for group, span in shown:
        assert sum(len(org.people[p]) for p in group) >= T
        assert org.behind(group, span) == 0 or org.behind(group, span) >= T


@PROPERTY
@given(organisations())
def test_nothing_about_fewer_than_three_can_be_worked_out_even_knowing_who_did_nothing(org):
    """The attacker also knows which parts had nothing to count in which month (say, who had no
    check-in asked): those are zeros, and what is left must still not give a figure about one or two."""
    protection = protect(org.counts(), threshold=T)
    shown, _ = views(org, protection)
    attacker = Knowledge()
    for group, span in shown:
        attacker.add(c for c in cells(group, span) if org.active(*c))
    for part in org.people:
        for span in SPANS:
            behind = org.behind(frozenset({part}), span)
            if 0 < behind < T:
                assert not attacker.knows(c for c in cells(frozenset({part}), span) if org.active(*c)), (
                    part,
                    sorted(span),
                )


# The cases the issue saw, by name


def organisation_of(people: dict[Part, list[list[int]]]) -> Organisation:
    return Organisation(people=people)


def every_month(*counts: int) -> list[list[int]]:
    return [[n] * 12 for n in counts]


def test_a_department_total_never_gives_away_its_hidden_no_manager_row():
    """Seen: the organisation view showed Engineering's total while Engineering's view hid its
    "(no manager)" row (one person) and showed every other row."""
    org = organisation_of(
        {
            ("Engineering", None): every_month(1),  # the head of the department
            ("Engineering", 1): every_month(1, 1, 1, 1),
            ("Engineering", 2): every_month(1, 1, 1),
            ("Sales", None): every_month(1, 1, 1),
        }
    )
    protection = protect(org.counts(), threshold=T)
    engineering = frozenset(p for p in org.people if p[0] == "Engineering")
    rows = [frozenset({p}) for p in engineering]
    assert not protection.shows({("Engineering", None)}, YEAR)
    assert protection.shows(engineering, YEAR)  # the department's total stays
    assert sum(protection.shows(row, YEAR) for row in rows) <= len(rows) - 2  # a second row hides
    assert protection.shows(frozenset(org.people), YEAR)


def test_a_hidden_month_is_not_the_quarter_minus_the_other_two():
    """Seen: a month hidden (one person had a check-in) equalled the quarter minus the other months."""
    quiet = [[0] * 12 for _ in range(4)]
    quiet[0][10] = 1  # November: one person only
    for person in quiet:
        person[9] = person[11] = 1  # October and December: all four
    org = organisation_of({("Engineering", 1): quiet, ("Engineering", 2): every_month(1, 1, 1)})
    protection = protect(org.counts(), threshold=T)
    team = frozenset({("Engineering", 1)})
    q4 = frozenset({10, 11, 12})
    assert not protection.shows(team, frozenset({11}))
    shown = [m for m in (10, 12) if protection.shows(team, frozenset({m}))]
    assert not (protection.shows(team, q4) and len(shown) == 2)
    assert protection.shows(frozenset(org.people), frozenset({11}))  # the organisation's month stays


def test_one_small_team_leaves_the_organisation_total_visible():
    """Before: "All" was hidden whenever any group was small."""
    org = organisation_of(
        {
            ("Engineering", 1): every_month(1, 1, 1, 1, 1),
            ("Sales", 2): every_month(1, 1, 1),
            ("Legal", 3): every_month(1),
        }
    )
    protection = protect(org.counts(), threshold=T)
    assert protection.shows(frozenset(org.people), YEAR)
    assert protection.shows(frozenset(org.people), frozenset({3}))
    assert not protection.shows({("Legal", 3)}, YEAR)
    assert not protection.shows({("Sales", 2)}, YEAR)  # hidden with Legal, or Legal = All - the rest
    assert protection.shows({("Engineering", 1)}, YEAR)


def test_a_team_across_two_departments_does_not_give_away_its_lone_member():
    """A manager's whole team minus its part in one department would be the one report in the other."""
    org = organisation_of(
        {
            ("Engineering", 1): every_month(1, 1, 1, 1),
            ("Sales", 1): every_month(1),
            ("Sales", 2): every_month(1, 1, 1),
        }
    )
    protection = protect(org.counts(), threshold=T)
    team = {("Engineering", 1), ("Sales", 1)}
    assert not (protection.shows(team, YEAR) and protection.shows({("Engineering", 1)}, YEAR))
    assert not protection.shows({("Sales", 1)}, YEAR)


def test_one_person_in_a_new_department_is_shown_with_the_smallest_not_blanking_it():
    """Seen: one HR person in "People" made Sales (a manager and three reports) "too few to show" in
    every table, with no "People + Sales" row. The two go together, and together they show."""
    org = organisation_of(
        {
            ("Engineering", None): every_month(1),
            ("Engineering", 1): every_month(1, 1, 1, 1, 1),
            ("Sales", None): every_month(1),
            ("Sales", 2): every_month(1, 1, 1),
            ("People", None): [[0] * 12],
        }
    )
    protection = protect(org.counts(), threshold=T)
    sales = frozenset(p for p in org.people if p[0] == "Sales")
    people_and_sales = sales | {("People", None)}
    assert not protection.shows({("People", None)}, YEAR)
    assert not protection.shows(sales, YEAR)  # else People = All - Engineering - Sales
    assert protection.shows(people_and_sales, YEAR)  # the row the report adds
    assert protection.shows(frozenset(org.people), YEAR)
    assert protection.shows(frozenset(p for p in org.people if p[0] == "Engineering"), YEAR)
    shown, hidden = views(org, protection)
    attacker = Knowledge()
    for group, span in shown:
        attacker.add(cells(group, span))
    for group, span in hidden:
        assert not attacker.knows(cells(group, span))
