"""Everything Rapport says on Slack is valid by Slack's own rules (slack_sdk's Block Kit models and
Slack's documented limits), in English and in Chinese, and arrives whole: a reply too long for one
message is a few messages, never cut."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.slack.render import MAX_MESSAGE_CHARS, escape, home_view, messages
from bot.i18n import LOCALES, Catalogue
from bot.replies import Reply, Text
from tests.payloads import busy
from tests.payloads.conftest import Corpus
from tests.payloads.shown import missing, slack_text
from tests.payloads.slack_rules import problems
from tests.payloads.tour import Said

CATALOGUE = Catalogue.load()


@pytest.fixture(params=LOCALES)
def corpus(corpora, request) -> Corpus:
    return corpora[request.param]


def sent(kind: str, reply: Reply, locale: str) -> list[dict[str, Any]]:
    """What Slack receives for a reply: a home view, or its messages (a DM, a post, an ack)."""
    if kind == "home":
        return [{"blocks": home_view(reply, t=CATALOGUE.messages(locale))}]
    return messages(reply)


def test_every_message_is_valid_block_kit_within_slacks_limits(corpus):
    # and the ack that says a reply too long for it went as direct messages
    note = Said(
        label="ack", kind="reply", reply=Reply.text(CATALOGUE.messages(corpus.locale)("slack.sent_privately"))
    )
    refused = {}
    for said in [*corpus.said, note]:
        for number, message in enumerate(sent(said.kind, said.reply, corpus.locale)):
            found = problems(message, home=said.kind == "home")
            if found:
                refused[f"{said.label} (message {number + 1})"] = found
    assert refused == {}
    assert len(corpus.said) > 150


def test_every_reply_arrives_whole(corpus):
    """Each paragraph the core wrote is in the messages Slack gets, whole and in order."""
    cut = {}
    for said in corpus.said:
        if said.kind == "home":
            continue
        shown = "\n".join(slack_text(message["blocks"]) for message in messages(said.reply))
        lost = missing(said.reply, shown, written=escape)
        if lost:
            cut[said.label] = lost
    assert cut == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_managers_digest_after_a_busy_quarter_is_a_few_whole_messages(locale):
    digest = busy.busy_digest(CATALOGUE, locale)
    t = CATALOGUE.messages(locale)
    sections = [t(f"review_digest.section.{key}") for key in busy.SECTIONS]
    found = messages(digest)
    text = "\n".join(slack_text(m["blocks"]) for m in found)
    if locale == "en":  # 16,300 characters: Slack refused it as one message (msg_blocks_too_long)
        assert len(digest.plain_text()) > 16_000
        assert len(found) == 3
    assert all(problems(message) == [] for message in found)
    assert [text.count(f"*{section}*") for section in sections] == [1] * 7  # every section, once
    assert [text.index(f"*{section}*") for section in sections] == sorted(
        text.index(f"*{s}*") for s in sections
    )
    assert found[0]["text"] == digest.plain_summary()  # plain: what a notification shows
    assert "*" not in found[0]["text"]
    assert all(found[n]["text"] for n in range(len(found)))


def test_a_message_of_more_blocks_than_slack_takes_is_split_and_the_limits_hold():
    reply = Reply(
        parts=tuple(Text(text=f"*Line {i}* " + "word " * 100) for i in range(120)), summary="*Many*"
    )
    found = messages(reply)
    assert len(found) > 2 and all(problems(message) == [] for message in found)
    assert sum(len(m["blocks"]) for m in found) == 120
    assert all(len(str(m["blocks"])) and len(m["blocks"]) <= 50 for m in found)
    assert found[0]["text"] == "Many" and found[1]["text"].startswith("Line ")
    assert max(len(slack_text(m["blocks"])) for m in found) <= MAX_MESSAGE_CHARS


def test_a_batched_commands_answer_always_fits_its_ack(corpus):
    """/kudos is handled in batches, which queue nothing: its ack must carry all of its answer."""
    answers = [said for said in corpus.said if said.label.startswith("reply: /kudos")]
    assert answers and all(len(messages(said.reply)) == 1 for said in answers)
