"""`rapport admin grant hr EMAIL`: give someone the HR role in their organisation."""

from __future__ import annotations

import argparse
import sys

from adapters.app import App
from store import orgs, people, roles

ROLES = ("hr",)


async def grant(app: App, args: argparse.Namespace) -> int:
    slug = args.org or app.settings.org
    async with app.db.transaction() as session:
        org = await orgs.by_slug(session, slug)
        person = org and await people.by_email(session, org_id=org.id, email=args.email)
        if person is None:
            print(f"There is nobody with the email {args.email} in organisation {slug!r}.", file=sys.stderr)
            return 1
        added = await roles.grant(
            session, org_id=org.id, person_id=person.id, role=args.role, now=app.clock.now()
        )
    print(f"{person.display_name} {'now has' if added else 'already had'} the {args.role} role in {slug!r}.")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    admin = sub.add_parser("admin", help="roles of people in the organisation")
    actions = admin.add_subparsers(dest="admin_command", required=True)
    parser = actions.add_parser(
        "grant", help="give someone a role, e.g. `rapport admin grant hr ann@example.com`"
    )
    parser.add_argument("role", choices=ROLES)
    parser.add_argument("email")
    parser.add_argument("--org", help="organisation slug (default: RAPPORT_ORG, or 'demo')")
    parser.set_defaults(run=grant)
