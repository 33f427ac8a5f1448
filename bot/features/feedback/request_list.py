"""`/feedback requests`: the requests one made, with how many answered, and those one was asked."""

from __future__ import annotations

from bot.features.feedback import request_release
from bot.features.feedback.request_common import about, person_of, until
from bot.i18n import Messages
from bot.replies import Reply, Text
from bot.turn import Turn
from store import feedback_requests, forms
from store.feedback_request_models import FeedbackAsk, FeedbackRequest


async def list_requests(turn: Turn, text: str) -> Reply:
    """The person's own requests with their counts (never who answered), and what they were asked."""
    t, session, org_id = turn.t, turn.session, turn.org.id
    lines_mine = []
    for made in await feedback_requests.made_by(session, org_id=org_id, person_id=turn.person.id):
        asks = await feedback_requests.asks_of(session, org_id=org_id, request_id=made.id)
        lines_mine.append("• " + _mine(t, made, asks, turn))
    live = await forms.live_for(session, org_id=org_id, person_id=turn.person.id)
    answering = live[0].id if live and live[0].status == "open" else None
    lines_asked = []
    for ask, made in await feedback_requests.asked_of(session, org_id=org_id, person_id=turn.person.id):
        requester = await person_of(turn, made.requester_id)
        now = answering is not None and ask.session_id == answering
        lines_asked.append("• " + _asked(t, made, ask, requester_name=requester.display_name, now=now))
    parts = (
        Text(text=t("feedback_request.list_mine")),
        Text(text="\n".join(lines_mine) or t("feedback_request.list_empty")),
        Text(text=t("feedback_request.list_asked")),
        Text(text="\n".join(lines_asked) or t("feedback_request.list_empty")),
    )
    return Reply(parts=parts, summary=t("feedback_request.list_mine"))


def _mine(t: Messages, made: FeedbackRequest, asks: list[FeedbackAsk], turn: Turn) -> str:
    if made.status == "open":
        status = t("feedback_request.state_open", until=until(t, made, turn.zone_for(turn.person)))
    else:
        status = t("feedback_request.state_closed")
    kind = t("feedback_request.kind_anonymous" if made.anonymous else "feedback_request.kind_named")
    if made.anonymous and made.status == "open":  # only whole batches move what the requester sees
        key, count = "feedback_request.line_mine_shown", request_release.shown_so_far(asks)
    else:
        key, count = "feedback_request.line_mine", request_release.answered(asks)
    return t(key, id=made.id, about=about(t, made), kind=kind, count=count, asked=len(asks), status=status)


def _asked(t: Messages, made: FeedbackRequest, ask: FeedbackAsk, *, requester_name: str, now: bool) -> str:
    if ask.status == "asked" and made.status == "open":
        state = t("feedback_request.line_answering" if now else "feedback_request.line_waiting", id=made.id)
    else:
        state = t(f"feedback_request.you_{ask.status}")
    return t(
        "feedback_request.line_asked", id=made.id, name=requester_name, about=about(t, made), state=state
    )
