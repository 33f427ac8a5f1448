"""Time is passed in, never read from the wall directly, so tests and the console can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told: for tests, demos and the console's `:tick`."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("time does not go backwards")
        self._now += delta
        return self._now

    def set(self, when: datetime) -> datetime:
        """Move to `when`, which must not be in the past."""
        return self.advance(when.astimezone(UTC) - self._now)


class ShiftedClock:
    """Real time moved ahead by an offset that only grows: the console's `:tick` jumps forward while
    time keeps flowing between commands."""

    def __init__(self, base: Clock) -> None:
        self._base = base
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return self._base.now() + self._offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("time does not go backwards")
        self._offset += delta
        return self.now()

    def set(self, when: datetime) -> datetime:
        """Jump to `when`, which must not be in the past."""
        return self.advance(when.astimezone(UTC) - self.now())
