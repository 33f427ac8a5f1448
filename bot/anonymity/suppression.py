"""Complementary suppression of HR figures: no figure about fewer than T people is shown, and none can
be worked out by adding and subtracting the figures that are.

The model. People fall into *parts*: (department, manager), a department's "team of X" row or its
"(no manager)" row. Every group any view shows is a union of parts (a department, a team within a
department, a manager's whole team across departments, the organisation) and every period a union
of the months of one year (a month, a quarter, the year), so each figure is a sum over parts and
months. A reader who may see several views can add and subtract their figures: the organisation's
row for a department minus the department's shown rows, a quarter minus two of its months, a team
minus its part in one department. The rule below is computed for a whole year of one organisation
at once, per table (reviews and meeting records together, kudos given apart from received), so that
every view of that year agrees on what is hidden.

A figure is *safe* when its group has at least T people and it is drawn from none of them or at
least T (people with a row in the table: a check-in asked, a review, an action due, a kudos).

1. *Blocks*: each department's parts that are not safe over the year are put together, with the
   department's smallest safe parts until the block is safe; a department that cannot make one
   this way joins the organisation's remainder, with the smallest blocks of other departments.
2. *Spans*: the same with months, over the organisation: unsafe months of a quarter go together,
   with the quarter's thinnest months until safe; then across quarters.
3. *Boxes*: each figure of one block and one span that is not safe gets a box of at least two blocks
   and two spans, every figure in it drawn from someone, grown until every row (a block over the
   box's spans) and every column (the box's blocks over one span) is safe. Boxes do not overlap. A
   figure that cannot get a box merges its block with the smallest other block, and step 3 starts
   again (at worst the organisation is one block, whose every span is safe by step 2).

A figure is shown when its group is a union of blocks, its period a union of spans, and, for every
box, it takes whole rows of it or whole columns of it (or none); otherwise it is "too few to show".

Why nothing hidden can be worked out. Any shown figure, seen as a sum over (block, span) pieces,
takes inside each box whole rows or whole columns; so do all sums and differences of shown figures.
A hidden figure cuts some block or span (move a count from one person to another inside it: every
shown figure stays the same and the hidden one changes), or takes part of a box's rows and part of
its columns (add one to a corner inside it, take one from the two corners beside it outside and add
one to the opposite corner: every row and column total stays, the hidden figure changes by one).
Either way the shown figures cannot tell its value. And anything that can be worked out is made of
whole rows, columns and pieces outside boxes, each safe, so it too is about 0 or at least T people.
No one person's figure can be worked out either: everyone shares a block with T-1 others or more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.anonymity import MIN_THRESHOLD
from bot.anonymity.groups import QUARTERS, YEAR, Counts, Group, Months, Part


@dataclass(frozen=True, kw_only=True)
class Box:
    rows: tuple[Group, ...]
    columns: tuple[Months, ...]
    people: Group  # the rows together


@dataclass(frozen=True, kw_only=True)
class Protection:
    """What may be shown of one table in one year (see the module docstring)."""

    counts: Counts
    threshold: int
    blocks: tuple[Group, ...]
    spans: tuple[Months, ...]
    boxes: tuple[Box, ...]

    def shows(self, parts: Iterable[Part], months: Months) -> bool:
        """Whether the figure of these parts over these months may be shown."""
        parts = frozenset(parts)
        inside = [b for b in self.blocks if not b.parts.isdisjoint(parts)]
        if not inside or any(not b.parts <= parts for b in inside):
            return False
        if any(s & months and not s <= months for s in self.spans):
            return False
        for box in self.boxes:
            rows = sum(r.parts <= parts for r in box.rows)
            columns = sum(c <= months for c in box.columns)
            if 0 < rows < len(box.rows) and 0 < columns < len(box.columns):
                return False
        return self.counts.safe(self.counts.union(inside), months, threshold=self.threshold)


def protect(counts: Counts, *, threshold: int) -> Protection:
    """Blocks, spans and boxes for one table's year (steps 1 to 3 of the module docstring), for a
    threshold never below MIN_THRESHOLD."""
    threshold = max(threshold, MIN_THRESHOLD)
    blocks = _blocks(counts, threshold)
    spans = _spans(counts, threshold)
    while True:
        boxes, stuck = _boxes(counts, threshold, blocks, spans)
        if stuck is None or len(blocks) == 1:
            # One block left is the whole organisation: every span of it is safe unless the whole
            # year is one unsafe span, and `shows` hides that.
            return Protection(
                counts=counts,
                threshold=threshold,
                blocks=tuple(blocks),
                spans=tuple(spans),
                boxes=tuple(boxes),
            )
        blocks = _merge_block(counts, blocks, stuck)


def _gather(units: list, *, safe: Callable, order: Callable, join: Callable) -> tuple[list, object | None]:
    """The units safe on their own, and the unsafe ones together, grown with safe units (in `order`
    for the remainder as it stands) until safe. Returns (units, None) when that works, else (units
    left, the unsafe remainder holding every unit it took)."""
    keep = [u for u in units if safe(u)]
    unsafe = [u for u in units if not safe(u)]
    if not unsafe:
        return keep, None
    rest = join(unsafe)
    while not safe(rest) and keep:
        lightest = min(keep, key=lambda u: order(rest, u))
        keep.remove(lightest)
        rest = join([rest, lightest])
    return ([*keep, rest], None) if safe(rest) else (keep, rest)


def _blocks(counts: Counts, t: int) -> list[Group]:
    def safe(group: Group) -> bool:
        return counts.safe(group, YEAR, threshold=t)

    def order(rest: Group, unit: Group) -> tuple:
        helps = counts.active(unit, YEAR) or rest.size < t
        return (not helps, unit.size, unit.rank)

    departments: dict = {}
    for part in counts.size:
        departments.setdefault(part[0], []).append(part)
    blocks, remainders = [], []
    for department in sorted(departments, key=repr):
        parts = departments[department]
        alone = sorted((p for p in parts if counts.safe_alone(p, threshold=t)), key=repr)
        units = [counts.group({p}) for p in alone]
        if len(alone) < len(parts):  # the unsafe ones, together from the start
            units.append(counts.group(frozenset(parts) - frozenset(alone)))
        kept, rest = _gather(units, safe=safe, order=order, join=counts.union)
        blocks += kept
        if rest is not None:
            remainders.append(rest)
    if remainders:
        kept, rest = _gather([*blocks, counts.union(remainders)], safe=safe, order=order, join=counts.union)
        blocks = kept if rest is None else [*kept, rest]  # an unsafe whole: `shows` hides everything
    return blocks


def _spans(counts: Counts, t: int) -> list[Months]:
    everyone = counts.group(counts.size)

    def safe(months: Months) -> bool:
        return counts.safe(everyone, months, threshold=t)

    def order(rest: Months, unit: Months) -> tuple:
        people = counts.drawn_from(everyone, unit)[0]
        return (people == 0, people, min(unit))

    def join(units: list[Months]) -> Months:
        return frozenset().union(*units)

    spans, remainders = [], []
    for quarter in QUARTERS:
        kept, rest = _gather([frozenset({m}) for m in sorted(quarter)], safe=safe, order=order, join=join)
        spans += kept
        if rest is not None:
            remainders.append(rest)
    if remainders:
        kept, rest = _gather([*spans, join(remainders)], safe=safe, order=order, join=join)
        spans = kept if rest is None else [*kept, rest]
    return sorted(spans, key=min)


def _boxes(
    counts: Counts, t: int, blocks: list[Group], spans: list[Months]
) -> tuple[list[Box], Group | None]:
    """Boxes around every unsafe (block, span) figure; or the block of one that cannot get a box."""
    taken: set = set()
    boxes = []
    for block in blocks:
        for span in spans:
            if (block, span) in taken or counts.safe(block, span, threshold=t):
                continue
            box = _grow(counts, t, blocks, spans, taken, start=(block, span))
            if box is None:
                return boxes, block
            boxes.append(box)
            taken |= {(r, c) for r in box.rows for c in box.columns}
    return boxes, None


def _grow(counts: Counts, t: int, blocks: list, spans: list, taken: set, *, start: tuple) -> Box | None:
    """A box around `start`, grown a column or a row at a time until its rows and columns are safe."""
    box = Box(rows=(start[0],), columns=(start[1],), people=start[0])
    while box is not None:
        months = frozenset().union(*box.columns)
        if not all(counts.safe(r, months, threshold=t) for r in box.rows):
            box = _with_column(counts, spans, taken, box, start=start)
        elif not all(counts.safe(box.people, c, threshold=t) for c in box.columns):
            box = _with_row(counts, blocks, taken, box, start=start)
        else:
            return box
    return None


def _usable(counts: Counts, taken: set, row: Group, column: Months) -> bool:
    """Whether a figure may join a box: in no other box, and drawn from someone."""
    return (row, column) not in taken and counts.active(row, column)


def _with_column(counts: Counts, spans: list, taken: set, box: Box, *, start: tuple) -> Box | None:
    """The box with one more span: of the starting span's quarter if one will do, then the fullest."""
    quarters = [q for q in QUARTERS if q & start[1]]
    found = [c for c in spans if c not in box.columns and all(_usable(counts, taken, r, c) for r in box.rows)]
    if not found:
        return None

    def rank(column: Months) -> tuple:
        return (not any(q >= column for q in quarters), -counts.drawn_from(start[0], column)[0], min(column))

    return Box(rows=box.rows, columns=(*box.columns, min(found, key=rank)), people=box.people)


def _with_row(counts: Counts, blocks: list, taken: set, box: Box, *, start: tuple) -> Box | None:
    """The box with one more block: of the starting block's department if one will do, then the fullest."""
    months = frozenset().union(*box.columns)
    found = [
        r for r in blocks if r not in box.rows and all(_usable(counts, taken, r, c) for c in box.columns)
    ]
    if not found:
        return None

    def rank(row: Group) -> tuple:
        return (row.departments != start[0].departments, -counts.drawn_from(row, months)[0], row.rank)

    row = min(found, key=rank)
    return Box(rows=(*box.rows, row), columns=box.columns, people=counts.union([box.people, row]))


def _merge_block(counts: Counts, blocks: list[Group], stuck: Group) -> list[Group]:
    """`stuck` with the smallest other block, of its own department when there is one."""
    others = [b for b in blocks if b is not stuck]
    partner = min(others, key=lambda b: (b.departments != stuck.departments, b.size, b.rank))
    return [*(b for b in others if b is not partner), counts.union([stuck, partner])]
