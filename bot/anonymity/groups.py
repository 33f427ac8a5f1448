"""The people and months HR figures are summed over, and how many people are behind each figure:
what `bot.anonymity.suppression` decides on.

People fall into *parts*, (department, manager); a group is a union of parts (parts never share
anyone, so their sizes and the people behind their figures add up). Months are those of one year;
*spans* are the periods figures are read for (each month, each quarter, the year), in the order
`store.insights` counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

Part = tuple[str | None, int | None]  # (department, manager id)
Months = frozenset[int]
YEAR: Months = frozenset(range(1, 13))
QUARTERS: tuple[Months, ...] = tuple(frozenset(range(3 * q - 2, 3 * q + 1)) for q in range(1, 5))
SPANS: tuple[Months, ...] = (*(frozenset({m}) for m in sorted(YEAR)), *QUARTERS, YEAR)
SPAN_INDEX = {span: i for i, span in enumerate(SPANS)}


@dataclass(frozen=True, eq=False)
class Group:
    """Some parts taken together: compared by identity, made once by `Counts`."""

    parts: frozenset[Part]
    size: int
    behind: tuple[tuple[int, ...], ...]  # per measure, per span: the people behind its figure
    departments: frozenset[str | None]
    rank: str  # a fixed order among groups, for choosing between equals the same way every time


@dataclass(frozen=True, kw_only=True)
class Counts:
    """How many people one table's figures are drawn from, in one organisation and year.

    `size`: people per part. `people[m][part][i]`: per measure m, how many different people of the
    part the figures of `SPANS[i]` are drawn from (the first measure says whether anyone is behind a
    figure at all); a part with nobody behind any figure may be left out.
    """

    size: Mapping[Part, int]
    people: Sequence[Mapping[Part, Sequence[int]]]
    _groups: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def measures(self) -> int:
        return len(self.people)

    def group(self, parts: Iterable[Part]) -> Group:
        """The group of these parts (made once per set of parts)."""
        parts = frozenset(parts)
        found = self._groups.get(parts)
        if found is None:
            nobody = (0,) * len(SPANS)
            behind = []
            for known in self.people:
                total = [0] * len(SPANS)
                for part in parts:
                    for i, n in enumerate(known.get(part, nobody)):
                        total[i] += n
                behind.append(tuple(total))
            found = self._groups[parts] = Group(
                parts=parts,
                size=sum(self.size.get(part, 0) for part in parts),
                behind=tuple(behind),
                departments=frozenset(part[0] for part in parts),
                rank=min(map(repr, parts), default=""),
            )
        return found

    def union(self, groups: Iterable[Group]) -> Group:
        """Groups taken together."""
        groups = list(groups)
        if len(groups) == 1:
            return groups[0]
        return Group(
            parts=frozenset().union(*(g.parts for g in groups)),
            size=sum(g.size for g in groups),
            behind=tuple(
                tuple(map(sum, zip(*spans, strict=True)))
                for spans in zip(*(g.behind for g in groups), strict=True)
            ),
            departments=frozenset().union(*(g.departments for g in groups)),
            rank=min(g.rank for g in groups),
        )

    def drawn_from(self, group: Group, months: Months) -> tuple[int, ...]:
        """People behind the group's figure over `months`, per measure; a lower bound when the months
        are not one span (the most of any span inside them), which only ever hides more."""
        inside = _inside(months)
        return tuple(max((spans[s] for s in inside), default=0) for spans in group.behind)

    def safe(self, group: Group, months: Months, *, threshold: int) -> bool:
        """At least `threshold` people, and drawn from none of them or at least `threshold`."""
        if group.size < threshold:
            return False
        return all(n == 0 or n >= threshold for n in self.drawn_from(group, months))

    def safe_alone(self, part: Part, *, threshold: int) -> bool:
        """`safe` for one part over the year, read straight from the counts (no group made)."""
        if self.size.get(part, 0) < threshold:
            return False
        return all(
            n == 0 or n >= threshold
            for n in (known.get(part, (0,) * len(SPANS))[-1] for known in self.people)
        )

    def active(self, group: Group, months: Months) -> bool:
        """Whether anyone at all is behind the figure."""
        return self.drawn_from(group, months)[0] > 0


@cache
def _inside(months: Months) -> tuple[int, ...]:
    """The SPANS inside `months`, by index: the span itself alone when it is one (it counts the most)."""
    if months in SPAN_INDEX:
        return (SPAN_INDEX[months],)
    return tuple(i for i, span in enumerate(SPANS) if span <= months)
