"""What a requester sees of an anonymous request, and when: the closed-batch rule of
`bot.anonymity.batches`, applied to a request's answers.

With T the request's threshold (the organisation's when the request was made; never below 3):

1. An answer is *held* when it arrives. While the request is open the requester learns only how many
   answers were shown (a number that moves by whole batches), never how many answered or declined,
   which would move with each person, and gets no message per answer.
2. Whenever at least T answers are held, all of them are *released together* as one batch, each in
   a random place, and the requester gets one DM with the batch, without names.
3. An answer that arrives after a release is held again until T-1 others have joined it (rule 2).
   A batch that would leave between 1 and T-1 people still to answer waits for them or for the
   deadline, so that the last answers are not left out alone (`bot.anonymity.batches.ready`).
   When the request closes (its deadline, or everyone has answered or declined), held answers are
   released if there are at least T of them; otherwise they are never shown, and the requester is
   told only how many were held back.
4. Every view lists released answers by batch, then by their random place: never by time, never by
   giver. No command shows an anonymous answer with its giver's name to anyone but the giver (see
   `bot.access.can_view_answer_with_name`).
5. Erasing a respondent turns their answer's status to "erased": held, it no longer counts towards
   T; released, its whole batch is withdrawn from view (the numbers of later answers stay), since
   showing the batch again without it would say which answer was theirs.

So every answer the requester ever reads sits in a batch of at least T real answers, in an order that
says nothing, and what arrives when tells them only that the batch's T or more people answered by then.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.anonymity import batches
from bot.features.feedback.request_common import FORM, about, person_of
from bot.forms.render import summary
from bot.i18n import Messages
from bot.messaging import Messaging
from bot.replies import Reply, Text
from store import feedback_requests
from store.feedback_request_models import FeedbackAsk, FeedbackRequest


def answered(asks: list[FeedbackAsk]) -> int:
    """How many answered, as the requester is told once the request has closed: an erased answer
    counts only if it was released (the requester saw it counted); one still held never does."""
    return sum(a.status == "answered" or (a.status == "erased" and a.batch is not None) for a in asks)


def shown_so_far(asks: list[FeedbackAsk]) -> int:
    """How many answers the requester has been shown (withdrawn batches included): while the request
    is open, the only count they see, since it moves only by whole batches."""
    return sum(a.batch is not None for a in asks)


def still_to_come(asks: list[FeedbackAsk]) -> int:
    """How many of those asked have neither answered nor declined."""
    return sum(a.status == "asked" for a in asks)


def held(asks: list[FeedbackAsk]) -> list[FeedbackAsk]:
    """Answers not shown yet (never an erased one: it does not count towards the threshold)."""
    return [a for a in asks if a.status == "answered" and a.batch is None]


def released(asks: list[FeedbackAsk]) -> list[FeedbackAsk]:
    """Released answers in the order they are shown: by batch, then by random place."""
    return sorted((a for a in asks if a.batch is not None), key=lambda a: (a.batch, a.position))


def release_batch(request: FeedbackRequest, asks: list[FeedbackAsk]) -> list[FeedbackAsk]:
    """Release the held answers when there are at least `threshold` of them (rule 2); the new batch,
    in its shown order, or [] when nothing may be shown yet."""
    waiting = held(asks)
    to_come = still_to_come(asks) if request.status == "open" else 0
    if not batches.ready(len(waiting), threshold=request.threshold, still_to_come=to_come):
        return []
    request.batches += 1
    for ask, place in zip(waiting, batches.random_places(len(waiting)), strict=True):
        ask.batch, ask.position = request.batches, place
    return sorted(waiting, key=lambda a: a.position)


async def release_and_tell(sender: Messaging, request: FeedbackRequest, asks: list[FeedbackAsk]) -> bool:
    """Release what may be released and DM the requester the new batch; whether anything was."""
    batch = release_batch(request, asks)
    if not batch:
        return False
    requester = await person_of(sender, request.requester_id)
    t = sender.messages_for(requester)
    key = "feedback_request.released" if request.batches == 1 else "feedback_request.released_more"
    heading = t(key, id=request.id, about=about(t, request), count=len(batch))
    lines = await answer_blocks(sender, t, [b for b in layout(asks) if b.number == request.batches])
    await sender.send_dm(to=requester, reply=Reply(parts=(Text(text=heading), *lines), summary=heading))
    return True


@dataclass(frozen=True, kw_only=True)
class Batch:
    """A released batch as the requester sees it: its answers in their places, numbered from `first`
    across batches, or none when it is withdrawn (rule 5)."""

    number: int
    first: int
    size: int
    answers: tuple[FeedbackAsk, ...]

    @property
    def withdrawn(self) -> bool:
        return not self.answers


def layout(asks: list[FeedbackAsk]) -> list[Batch]:
    """Every released batch in order, as the requester sees it."""
    shown = released(asks)
    sizes = Counter(a.batch for a in shown)
    gone = batches.withdrawn((a.batch, a.status == "erased") for a in shown)
    first = batches.first_numbers(sizes)
    return [
        Batch(
            number=b,
            first=first[b],
            size=sizes[b],
            answers=() if b in gone else tuple(a for a in shown if a.batch == b),
        )
        for b in sorted(sizes)
    ]


async def answer_blocks(sender: Messaging, t: Messages, shown: list[Batch]) -> list[Text]:
    """Each batch's answers, one paragraph each, numbered; a withdrawn batch is one line in their place."""
    asks = [a for batch in shown for a in batch.answers]
    answers = await feedback_requests.answers(sender.session, org_id=sender.org.id, asks=asks)
    blocks = []
    for batch in shown:
        if batch.withdrawn:
            last = batch.first + batch.size - 1
            blocks.append(Text(text=t("feedback_request.batch_withdrawn", first=batch.first, last=last)))
        for number, a in enumerate(batch.answers, batch.first):
            lines = [t("feedback_request.anonymous_answer", number=number), *summary(t, FORM, answers[a.id])]
            blocks.append(Text(text="\n".join(lines)))
    return blocks


async def anonymous_view(
    sender: Messaging, t: Messages, request: FeedbackRequest, asks: list[FeedbackAsk]
) -> list[Text]:
    """What the requester of an anonymous request sees: while it is open, how many answers were shown
    (a count that moves only by whole batches) and the rule; once closed, the final counts. Then the
    released batches."""
    if request.status == "open":
        counts = t("feedback_request.counts_open", asked=len(asks), count=shown_so_far(asks))
        lines = [Text(text=counts), Text(text=t("feedback_request.open_rule", threshold=request.threshold))]
    else:
        lines = [Text(text=final_counts(t, asks))]
    shown = layout(asks)
    lines += await answer_blocks(sender, t, shown)
    if request.status == "closed" and (waiting := len(held(asks))):
        lines.append(Text(text=t("feedback_request.held_closed", count=waiting, threshold=request.threshold)))
    return lines


def final_counts(t: Messages, asks: list[FeedbackAsk]) -> str:
    """The counts of a closed request: who answered, declined or didn't, in numbers."""
    given, declined = answered(asks), sum(a.status == "declined" for a in asks)
    return t(
        "feedback_request.counts",
        asked=len(asks),
        answered=given,
        declined=declined,
        waiting=len(asks) - given - declined,
    )
