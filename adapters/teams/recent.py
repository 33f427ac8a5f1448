"""What this process recently read or wrote about Teams tenants and conversation references.

Every activity names its tenant and carries the sender's conversation reference; looking both up in
the database on every turn cost more CPU than the rest of the Teams adapter. A tenant's organisation
and a reference seen within the last `ttl` seconds are taken from here instead.

Staleness, bounded by `ttl`: a reference that another server process marked unreachable (a 403) is
cleared only by the person's first message after the entry expires (this process's own sender
forgets the entry when it marks one); an unlinked tenant is noticed by the core, which refuses the
turn, and the adapter then forgets the tenant.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from adapters.teams.references import Reference
from bot.clock import Clock

TTL = timedelta(seconds=60)
MAX_ENTRIES = 50_000


class RecentlySeen:
    """Tenant → organisation, and (organisation, user) → reference, each with the time it was seen."""

    def __init__(self, *, clock: Clock, ttl: timedelta = TTL, max_entries: int = MAX_ENTRIES) -> None:
        self._clock = clock
        self._ttl = ttl
        self._max = max_entries
        self._orgs: dict[str, tuple[int, datetime]] = {}
        self._references: dict[tuple[int, str], tuple[Reference, datetime]] = {}

    def org_of(self, tenant: str) -> int | None:
        return self._fresh(self._orgs, tenant)

    def is_current(self, org_id: int, ref: Reference) -> bool:
        """True when exactly this reference was stored (or found stored) within the last `ttl`."""
        return self._fresh(self._references, (org_id, ref.user_id)) == ref

    def remember(self, *, tenant: str, org_id: int, ref: Reference | None) -> None:
        now = self._clock.now()
        if len(self._orgs) + len(self._references) > self._max:
            self._orgs, self._references = {}, {}
        self._orgs[tenant] = (org_id, now)
        if ref is not None:
            self._references[(org_id, ref.user_id)] = (ref, now)

    def forget_tenant(self, tenant: str) -> None:
        self._orgs.pop(tenant, None)

    def forget_reference(self, org_id: int, user_id: str) -> None:
        self._references.pop((org_id, user_id), None)

    def _fresh(self, entries: dict, key):
        entry = entries.get(key)
        if entry is None or self._clock.now() - entry[1] > self._ttl:
            return None
        return entry[0]
