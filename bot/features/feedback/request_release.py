"""What a requester sees of an anonymous request, and when: the rule that keeps who-said-what unknown.

The rule, with T the request's threshold (the organisation's `feedback_anonymity_threshold` when the
request was made; never below 3):

1. An answer is *held* when it arrives. Below T answers the requester learns only how many answered
   (and declined), never what, and gets no message per answer.
2. Whenever at least T answers are held, all of them are *released together* as one batch: each gets
   a random place in it (drawn with `SystemRandom`, unrelated to when it came or who wrote it) and
   the requester gets one DM with the batch, without names.
3. An answer that arrives after a release is held again until T-1 others have joined it (rule 2).
   When the request closes (its deadline, or everyone has answered or declined), held answers are
   released if there are at least T of them; otherwise they are never shown, and the requester is
   told only how many were held back.
4. Every view lists released answers by batch, then by their random place: never by time, never by
   giver. No command shows an anonymous answer with its giver's name to anyone but the giver (see
   `bot.access.can_view_answer_with_name`).

So every answer the requester ever reads sits in a batch of at least T, in an order that says
nothing, and what arrives when tells them only that the batch's T or more people answered by then.
"""

from __future__ import annotations

from random import SystemRandom

from bot.features.feedback.request_common import FORM, Mailer, about
from bot.forms.render import summary
from bot.i18n import Messages
from bot.replies import Reply, Text
from store import feedback_requests
from store.feedback_request_models import FeedbackAsk, FeedbackRequest


def held(asks: list[FeedbackAsk]) -> list[FeedbackAsk]:
    """Answers not shown yet."""
    return [a for a in asks if a.status == "answered" and a.batch is None]


def released(asks: list[FeedbackAsk]) -> list[FeedbackAsk]:
    """Shown answers in the order they are shown: by batch, then by random place."""
    return sorted((a for a in asks if a.batch is not None), key=lambda a: (a.batch, a.position))


def release_batch(request: FeedbackRequest, asks: list[FeedbackAsk]) -> list[FeedbackAsk]:
    """Release the held answers when there are at least `threshold` of them (rule 2); the new batch,
    in its shown order, or [] when nothing may be shown yet."""
    waiting = held(asks)
    if len(waiting) < request.threshold:
        return []
    places = list(range(1, len(waiting) + 1))
    SystemRandom().shuffle(places)
    request.batches += 1
    for ask, place in zip(waiting, places, strict=True):
        ask.batch, ask.position = request.batches, place
    return sorted(waiting, key=lambda a: a.position)


async def release_and_tell(mailer: Mailer, request: FeedbackRequest, asks: list[FeedbackAsk]) -> bool:
    """Release what may be released and DM the requester the new batch; whether anything was."""
    batch = release_batch(request, asks)
    if not batch:
        return False
    requester = await mailer.person(request.requester_id)
    t = mailer.t(requester)
    key = "feedback_request.released" if request.batches == 1 else "feedback_request.released_more"
    heading = t(key, id=request.id, about=about(t, request), count=len(batch))
    lines = await answer_blocks(mailer, t, batch, start=len(released(asks)) - len(batch) + 1)
    await mailer.send(requester, Reply(parts=(Text(text=heading), *lines), summary=heading))
    return True


async def answer_blocks(
    mailer: Mailer, t: Messages, shown: list[FeedbackAsk], *, start: int = 1
) -> list[Text]:
    """Numbered nameless answers, one paragraph each, in the order given."""
    answers = await feedback_requests.answers(mailer.session, org_id=mailer.org.id, asks=shown)
    return [
        Text(
            text="\n".join(
                [t("feedback_request.anonymous_answer", number=number), *summary(t, FORM, answers[a.id])]
            )
        )
        for number, a in enumerate(shown, start)
    ]


async def anonymous_view(
    mailer: Mailer, t: Messages, request: FeedbackRequest, asks: list[FeedbackAsk]
) -> list[Text]:
    """What the requester of an anonymous request sees: counts, and the released batches."""
    answered = sum(a.status == "answered" for a in asks)
    declined = sum(a.status == "declined" for a in asks)
    lines = [
        Text(
            text=t(
                "feedback_request.counts",
                asked=len(asks),
                answered=answered,
                declined=declined,
                waiting=len(asks) - answered - declined,
            )
        )
    ]
    shown = released(asks)
    if not shown:
        lines.append(Text(text=t("feedback_request.below_threshold", threshold=request.threshold)))
        return lines
    lines += await answer_blocks(mailer, t, shown)
    if waiting := len(held(asks)):
        key = "feedback_request.held_closed" if request.status == "closed" else "feedback_request.held_open"
        lines.append(Text(text=t(key, count=waiting, threshold=request.threshold)))
    return lines
