"""What the command-line modules share."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.app import App
from store import orgs
from store.models import Organisation


def counted(count: int, one: str, other: str) -> str:
    """ "1 day", "2 days": a number with its noun, for the command line's English."""
    return f"{count} {one if count == 1 else other}"


async def organisation(session: AsyncSession, app: App, args: argparse.Namespace) -> Organisation | None:
    """The organisation `--org` names (RAPPORT_ORG by default), or None after saying there is none."""
    slug = getattr(args, "org", None) or app.settings.org
    org = await orgs.by_slug(session, slug)
    if org is None:
        print(f"No organisation {slug!r}.", file=sys.stderr)
    return org
