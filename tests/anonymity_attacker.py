"""An attacker for the anonymity tests: given every figure one role may see, which others can it work out?

A figure is a sum of unknowns (one per part of the organisation and month, or per answer); what can be
worked out from shown figures is exactly what lies in the span of their indicator vectors. The span is
kept in reduced row echelon form modulo a large prime: a vector found outside it there is outside it
over the rationals too, so "cannot be worked out" is never a false comfort.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

PRIME = (1 << 61) - 1


class Knowledge:
    """What can be worked out from the figures added so far."""

    def __init__(self) -> None:
        self.rows: dict[Hashable, dict[Hashable, int]] = {}  # pivot → row, 1 at its pivot, reduced
        self.order: dict[Hashable, int] = {}

    def _rank(self, coordinate: Hashable) -> int:
        return self.order.setdefault(coordinate, len(self.order))

    def _reduce(self, vector: dict[Hashable, int]) -> dict[Hashable, int]:
        vector = {k: v % PRIME for k, v in vector.items() if v % PRIME}
        for pivot in [k for k in vector if k in self.rows]:
            factor = vector.get(pivot, 0)
            if not factor:
                continue
            for k, v in self.rows[pivot].items():
                value = (vector.get(k, 0) - factor * v) % PRIME
                if value:
                    vector[k] = value
                else:
                    vector.pop(k, None)
        return vector

    def add(self, coordinates: Iterable[Hashable]) -> None:
        """A shown figure: the sum of these unknowns is known."""
        vector = self._reduce({c: 1 for c in coordinates})
        if not vector:
            return
        pivot = min(vector, key=self._rank)
        inverse = pow(vector[pivot], PRIME - 2, PRIME)
        row = {k: v * inverse % PRIME for k, v in vector.items()}
        for other in self.rows.values():
            factor = other.get(pivot, 0)
            if factor:
                for k, v in row.items():
                    value = (other.get(k, 0) - factor * v) % PRIME
                    if value:
                        other[k] = value
                    else:
                        other.pop(k, None)
        self.rows[pivot] = row

    def knows(self, coordinates: Iterable[Hashable]) -> bool:
        """Whether the sum of these unknowns can be worked out."""
        return not self._reduce({c: 1 for c in coordinates})
