"""What the peer-feedback request modules share: the form, the people a request names, and loading
a request someone may see. They send from a turn or from due work alike (`bot.messaging`)."""

from __future__ import annotations

from bot.access import can_view_feedback_request
from bot.dates import format_when
from bot.errors import UserError
from bot.forms.definition import FormDefinition, Question
from bot.forms.engine import normalise
from bot.i18n import LOCALES, Catalogue, Messages
from bot.messaging import Messaging
from bot.numbers import leading_id
from bot.replies import Button, Buttons, Context
from bot.turn import Turn
from store import feedback_requests, people
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.models import Person

FORM_KEY = "feedback_request"
DECLINE_ACTION = "feedback.request.decline"
CLOSE_KIND = "feedback_request.close"
REMIND_KIND = "feedback_request.remind"

# Shaped after situation–behaviour–impact feedback: where it happened, what the person did (one
# concrete behaviour and an example), what it led to, and one thing to try next time.
FORM = FormDefinition(
    key=FORM_KEY,
    version=0,
    title_key="feedback_request.title",
    questions=(
        Question(id="situation", kind="text", text_key="feedback_request.q.situation", max_length=1000),
        Question(id="behaviour", kind="text", text_key="feedback_request.q.behaviour", max_length=1000),
        Question(id="effect", kind="text", text_key="feedback_request.q.effect", max_length=1000),
        Question(id="suggestion", kind="text", text_key="feedback_request.q.suggestion", max_length=1000),
    ),
)


async def person_of(sender: Messaging, person_id: int) -> Person:
    return await people.by_id(sender.session, org_id=sender.org.id, person_id=person_id)


def about(t: Messages, request: FeedbackRequest) -> str:
    """' about “Billing migration”', or nothing without a topic."""
    return t("feedback_request.about", topic=request.topic) if request.topic else ""


def until(t: Messages, request: FeedbackRequest, timezone: str) -> str:
    """When the request closes, in `timezone` (the reader's: `Messaging.zone_for`)."""
    return format_when(t, request.closes_at, timezone)


def decline_button(t: Messages, request: FeedbackRequest) -> tuple:
    """The Decline button and the hint that typing the word works too."""
    button = Button(
        label=t("feedback_request.decline_button"), action_id=DECLINE_ACTION, value=str(request.id)
    )
    return Buttons(buttons=(button,)), Context(text=t("feedback_request.decline_hint", id=request.id))


def means_decline(catalogue: Catalogue, text: str) -> bool:
    """Whether a typed line says "decline", in any catalogue language."""
    words = {
        normalise(word)
        for locale in LOCALES
        for word in catalogue.tables[locale]["feedback_request.words.decline"].split("|")
    }
    return normalise(text) in words


def parse_id(text: str) -> tuple[int, str]:
    """The request's number at the start of `text`, and the rest."""
    return leading_id(text, bad="feedback_request.bad_id", missing="feedback_request.not_found")


async def load(turn: Turn, request_id: int) -> tuple[FeedbackRequest, list[FeedbackAsk]]:
    """A request the person may see (as its requester or one of those asked), with its asks."""
    session, org_id = turn.session, turn.org.id
    request = await feedback_requests.by_id(session, org_id=org_id, request_id=request_id)
    asks = await feedback_requests.asks_of(session, org_id=org_id, request_id=request_id) if request else []
    if request is None or not can_view_feedback_request(
        turn.person, request, [a.respondent_id for a in asks]
    ):
        raise UserError("feedback_request.not_found", id=request_id)
    return request, asks


async def own_ask(turn: Turn, request_id: int) -> tuple[FeedbackRequest, FeedbackAsk]:
    """The person's own ask in a request that is still open."""
    request, asks = await load(turn, request_id)
    ask = next((a for a in asks if a.respondent_id == turn.person.id), None)
    if ask is None:
        raise UserError("feedback_request.not_asked", id=request_id)
    if ask.status != "asked":
        raise UserError(f"feedback_request.already_{ask.status}", id=request_id)
    if request.status != "open" or request.closes_at <= turn.clock.now():
        raise UserError("feedback_request.closed", id=request_id)
    return request, ask
