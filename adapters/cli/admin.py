"""`rapport admin grant|revoke hr EMAIL`: give someone the HR role in their organisation, or take it away."""

from __future__ import annotations

import argparse
import sys

from adapters.app import App
from store import orgs, people, roles

ROLES = ("hr",)


async def grant(app: App, args: argparse.Namespace) -> int:
    return await _change(app, args, grant=True)


async def revoke(app: App, args: argparse.Namespace) -> int:
    """Takes effect at once: the dashboard and the HR commands check the role on every request."""
    return await _change(app, args, grant=False)


async def _change(app: App, args: argparse.Namespace, *, grant: bool) -> int:
    slug = args.org or app.settings.org
    async with app.db.transaction() as session:
        org = await orgs.by_slug(session, slug)
        person = org and await people.by_email(session, org_id=org.id, email=args.email)
        if person is None:
            print(f"There is nobody with the email {args.email} in organisation {slug!r}.", file=sys.stderr)
            return 1
        if grant:
            changed = await roles.grant(
                session, org_id=org.id, person_id=person.id, role=args.role, now=app.clock.now()
            )
        else:
            changed = await roles.revoke(session, org_id=org.id, person_id=person.id, role=args.role)
    state = {(True, True): "now has", (True, False): "already had", (False, True): "no longer has"}
    print(
        f"{person.display_name} {state.get((grant, changed), 'did not have')} the {args.role} role in {slug!r}."
    )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    admin = sub.add_parser("admin", help="roles of people in the organisation")
    actions = admin.add_subparsers(dest="admin_command", required=True)
    for name, run, example in (
        ("grant", grant, "give someone a role, e.g. `rapport admin grant hr ann@example.com`"),
        ("revoke", revoke, "take a role away, e.g. `rapport admin revoke hr ann@example.com`"),
    ):
        parser = actions.add_parser(name, help=example)
        parser.add_argument("role", choices=ROLES)
        parser.add_argument("email")
        parser.add_argument("--org", help="organisation slug (default: RAPPORT_ORG, or 'demo')")
        parser.set_defaults(run=run)
