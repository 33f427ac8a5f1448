"""`/rapport dashboard`: a one-time sign-in link to the web dashboard, sent as a DM."""

from __future__ import annotations

from bot.errors import UserError
from bot.insights.signin import LINK_LIFETIME, issue_link
from bot.replies import Reply
from bot.turn import Turn
from store import people, roles


async def dashboard(turn: Turn, _text: str, *, public_url: str) -> Reply:
    """HR and managers get a link; others are told politely who the dashboard is for."""
    session, org_id, person = turn.session, turn.org.id, turn.person
    is_hr = await roles.has_role(session, org_id=org_id, person_id=person.id, role="hr")
    if not is_hr and not await people.reports_of(session, org_id=org_id, manager_id=person.id):
        raise UserError("dashboard.not_for_you")
    token = await issue_link(session, org_id=org_id, person_id=person.id, now=turn.clock.now())
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    url = f"{public_url.rstrip('/')}/admin/signin?token={token}"
    text = turn.t("dashboard.link_dm", minutes=minutes, url=url)
    await turn.send_dm(to=person, reply=Reply.text(text), expires_at=turn.clock.now() + LINK_LIFETIME)
    return Reply.text(turn.t("dashboard.link_sent", minutes=minutes))
