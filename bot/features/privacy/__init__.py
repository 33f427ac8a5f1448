"""Privacy: what Rapport holds about a person (export), removing it (erasure, retention), and the audit
trail of who looked at whose data."""

from __future__ import annotations

from bot.features.privacy import retention
from bot.router import Router


def register(router: Router) -> None:
    """The daily retention run. `/rapport export` is one of `/rapport`'s sub-commands (`presence`);
    erasing a person is an administrator's act (`rapport person erase`)."""
    router.job(retention.KIND)(retention.retention_job)
