"""A reply too long for one Teams card arrives whole, as a few messages in order, each under Teams'
28 KB, and each once: a 429 part way resends nothing already shown. An answer too long for one card
comes as a few replies."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.i18n import Catalogue
from tests.payloads import busy
from tests.payloads.shown import card_text, missing, squeezed
from tests.teams.conftest import mention

ALICE = "a:dm-alice"


async def queue_digest(teams, locale: str) -> None:
    """A manager's digest after a busy half year, queued as a DM to Alice (who wrote to Rapport)."""
    await teams.say("alice", "help")
    digest = busy.busy_digest(Catalogue.load(), locale, weeks=26)
    await busy.queue_to(teams.app, handle="alice", platform="teams", reply=digest)


def delivered(teams) -> list[dict]:
    """The cards of Alice's DM, after the answer to her `help`."""
    return [call.body["attachments"][0]["content"] for call in teams.connector.messages(ALICE)[1:]]


async def test_a_long_dm_arrives_whole_as_a_few_cards_in_order(teams):
    await queue_digest(teams, "zh-Hans")
    assert [o.status for o in await teams.deliver()] == ["sent"]
    cards = delivered(teams)
    assert len(cards) >= 2 and teams.connector.refused() == []
    digest = busy.busy_digest(Catalogue.load(), "zh-Hans", weeks=26)
    shown = "\n".join(card_text(card) for card in cards)
    assert missing(digest, shown, written=lambda text: text.replace("*", "**")) == []
    sizes = [
        len(json.dumps(call.body, ensure_ascii=False).encode()) for call in teams.connector.messages(ALICE)
    ]
    assert max(sizes) < 28_000


async def test_a_429_part_way_resends_nothing_already_shown(teams):
    await queue_digest(teams, "en")
    teams.connector.fail(429, path=ALICE, after=1, headers={"Retry-After": "0"})  # the second part
    [outcome] = await teams.deliver()
    assert outcome.status == "retry"
    teams.app.clock.advance(timedelta(seconds=1))
    [outcome] = await teams.deliver()
    assert outcome.status == "sent"
    cards = delivered(teams)
    firsts = [card["body"][0]["text"] for card in cards]
    assert len(firsts) == len(set(firsts)) >= 2  # each part once
    digest = busy.busy_digest(Catalogue.load(), "en", weeks=26)
    shown = "\n".join(card_text(card) for card in cards)
    assert missing(digest, shown, written=lambda text: text.replace("*", "**")) == []


async def test_an_answer_too_long_for_one_card_comes_as_a_few_replies(teams):
    """Alice lists the long feedback she was given (ten pieces of 1,900 Chinese characters, three bytes
    each): the answer to her message is several cards, each within Teams' size, all of it there."""
    said = "你在设计评审中的意见准确又友善，团队当天就用上了，新同事也因此少走了很多弯路。" * 50
    for number in range(10):
        await teams.say(
            "bob", f"feedback <at>Alice</at> {number}号 {said[:1900]}", entities=[mention("alice", "Alice")]
        )
    listed = await teams.say("alice", "feedback list")
    replies = teams.replies_to(listed)
    assert len(replies) >= 2 and teams.connector.refused() == []
    text = squeezed("".join(card_text(reply.body["attachments"][0]["content"]) for reply in replies))
    assert [text.count(squeezed(f"{number}号 {said[:1900]}")) for number in range(10)] == [1] * 10
