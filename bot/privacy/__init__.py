"""Privacy: what Rapport holds about a person (export), removing it (erasure, retention), and the audit
trail of who looked at whose data."""

from __future__ import annotations

from bot.privacy import retention
from bot.router import Router


def register(router: Router) -> None:
    router.job(retention.KIND)(retention.retention_job)
