"""`rapport org settings`: the organisation's own rules (anonymity threshold, daily cap, values, time zone)."""

from __future__ import annotations

import argparse
import sys

from adapters.app import App
from adapters.cli.common import organisation
from bot import anonymity
from bot.anonymity import threshold_of
from bot.features.presence.timezone import set_org_default
from store import orgs


async def settings(app: App, args: argparse.Namespace) -> int:
    """Show the settings, changing those given first."""
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        if args.anonymity_threshold is not None:
            try:
                await anonymity.set_threshold(session, org_id=org.id, threshold=args.anonymity_threshold)
            except ValueError as error:
                print(f"Not changed: {error}.", file=sys.stderr)
                return 1
        if args.daily_give_cap is not None:
            if args.daily_give_cap < 1:
                print("Not changed: the daily cap is at least 1.", file=sys.stderr)
                return 1
            org.daily_give_cap = args.daily_give_cap
        if args.goals is not None:  # issue 18
            org.goal_visibility = "private" if args.goals == "private" else "organisation"
        if args.goal_cycle is not None:
            org.goal_cycle = args.goal_cycle
        if args.timezone is not None:
            try:
                await set_org_default(session, org=org, text=args.timezone, now=app.clock.now())
            except ValueError as error:
                print(f"Not changed: {error}.", file=sys.stderr)
                return 1
        if args.values is not None:
            values = [v.strip().lstrip("#").lower() for v in args.values.split(",") if v.strip()]
            await orgs.set_company_values(session, org_id=org.id, values=values)
    print(f"{org.name} ({org.slug}):")
    print(f"  anonymity threshold (anonymous feedback, the pulse, HR figures): {threshold_of(org)}")
    print(f"  kudos and feedback one person may give a day: {org.daily_give_cap}")
    print(f"  company values: {', '.join('#' + v for v in org.company_values) or '(any #tag)'}")
    print(
        f"  goals: {'private to the person, their managers and HR' if org.goal_visibility == 'private' else 'visible to all'}"
    )
    print(f"  goal cycle: {org.goal_cycle} (for goals set from now on)")
    print(f"  time zone of people with none of their own: {org.default_timezone or 'UTC'}")
    print(
        f"  check-in answers kept: {f'{org.retention_months} months' if org.retention_months else 'always'}"
    )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("settings", help="show or change the organisation's rules")
    parser.add_argument(
        "--anonymity-threshold",
        type=int,
        help="answers released together, and people behind any figure shown (3 or more)",
    )
    parser.add_argument("--daily-give-cap", type=int, help="kudos and feedback one person may give a day")
    parser.add_argument(
        "--goals",
        choices=("visible", "private"),
        help="goals visible to the whole organisation, or private to the person, their managers and HR",
    )
    parser.add_argument("--goal-cycle", choices=("quarter", "half", "year"), help="how long goals run")
    parser.add_argument(
        "--timezone",
        help="time zone of people who have none of their own, like Asia/Shanghai (DingTalk gives none)",
    )
    parser.add_argument("--values", help="company values, comma separated (empty: any #tag)")
    parser.add_argument("--org", help="organisation slug (default: RAPPORT_ORG, or 'demo')")
    parser.set_defaults(run=settings)
