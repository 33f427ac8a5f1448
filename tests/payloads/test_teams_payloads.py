"""Every card Rapport sends on Teams passes Microsoft's adaptivecards library (schema 1.5 at most, no
parse warnings), every message stays under Teams' 28 KB, in English and in Chinese, and a reply too
long for one card arrives whole as a few."""

from __future__ import annotations

import json
import re

import pytest

from adapters.teams.bot import message_activities
from adapters.teams.references import Reference
from adapters.teams.render import cards
from adapters.teams.sender import _addressing
from bot.i18n import LOCALES, Catalogue
from bot.replies import Reply
from tests.payloads import busy, node
from tests.payloads.conftest import Corpus
from tests.payloads.shown import card_text, missing

CATALOGUE = Catalogue.load()
MAX_ACTIVITY_BYTES = 28_000  # Teams refuses a larger message
# A proactive DM's addressing, with ids as long as Teams' own
TARGET = Reference(
    user_id="29:1" + "x" * 120,
    tenant_id="72f988bf-86f1-41af-91ab-2d7cd011db47",
    service_url="https://smba.trafficmanager.net/emea/72f988bf-86f1-41af-91ab-2d7cd011db47/",
    bot_id="28:6f1c3a52-8a53-4b0e-9d2f-2a8f3c1b7e10",
    conversation_id="a:1" + "y" * 150,
)


@pytest.fixture(params=LOCALES)
def corpus(corpora, request) -> Corpus:
    return corpora[request.param]


def test_every_card_passes_microsofts_adaptive_cards_library(corpus):
    every = {
        f"{said.label} (card {number + 1})": card
        for said in corpus.said
        for number, card in enumerate(cards(said.reply))
    }
    found = node.check(cards=every)["cards"]
    assert set(found) == set(every)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_every_message_is_under_teams_size_with_plain_notification_text(corpus):
    too_big, marked = {}, {}
    for said in corpus.said:
        for activity in message_activities(said.reply):
            sent = {**activity, **_addressing(TARGET, personal=True)}
            size = len(json.dumps(sent, ensure_ascii=False).encode("utf-8"))
            if size >= MAX_ACTIVITY_BYTES:
                too_big[said.label] = size
            card = activity["attachments"][0]["content"]
            if _marked(activity["summary"]) or _marked(card["fallbackText"]):
                marked[said.label] = activity["summary"]
    assert too_big == {}
    assert marked == {}


def _marked(text: str) -> bool:
    """Whether plain text still carries Rapport's markup (`*bold*`, `_italic_`)."""
    return bool(re.search(r"\*[^*\s][^*\n]*\*|(?<!\w)_[^_\s][^_\n]*_(?!\w)", text))


def test_every_reply_arrives_whole(corpus):
    cut = {}
    for said in corpus.said:
        shown = "\n".join(card_text(card) for card in cards(said.reply))
        lost = missing(said.reply, shown, written=lambda text: text.replace("*", "**"))
        if lost:
            cut[said.label] = lost
    assert cut == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_managers_digest_after_a_busy_half_year_is_a_few_whole_cards(locale):
    digest = busy.busy_digest(CATALOGUE, locale, weeks=26)
    found = cards(digest)
    sizes = [len(json.dumps(card, ensure_ascii=False).encode("utf-8")) for card in found]
    assert sum(sizes) > 24_000 and len(found) >= 2  # one card used to be cut to its first 12 KB of text
    assert max(sizes) <= 24_000
    t = CATALOGUE.messages(locale)
    text = "\n".join(card_text(card) for card in found)
    for key in busy.SECTIONS:  # lessons, development, the agenda, the questions, the checklist: all there
        assert text.count(f"**{t(f'review_digest.section.{key}')}**") == 1
    assert missing(digest, text, written=lambda paragraph: paragraph.replace("*", "**")) == []
    assert node.check(cards={str(n): card for n, card in enumerate(found)})["cards"] == {
        str(n): [] for n in range(len(found))
    }


def test_the_library_check_finds_what_teams_would_not_show():
    """The check can fail: a newer schema, an unknown element, a bad value, repeated input ids."""
    body = [{"type": "TextBlock", "text": "x", "size": "Huge"}, {"type": "Carousel", "pages": []}]
    inputs = [{"type": "Input.Text", "id": "a"}, {"type": "Input.Text", "id": "a"}]
    found = node.check(
        cards={
            "newer": {"type": "AdaptiveCard", "version": "1.6", "body": []},
            "unknown and invalid": {"type": "AdaptiveCard", "version": "1.5", "body": body},
            "repeated ids": {"type": "AdaptiveCard", "version": "1.5", "body": inputs},
            "fine": cards(Reply.text("*Hello*"))[0],
        }
    )["cards"]
    assert found["newer"] == ["version 1.6 is newer than 1.5"]
    assert any("Huge" in problem for problem in found["unknown and invalid"])
    assert any("Carousel" in problem for problem in found["unknown and invalid"])
    assert found["repeated ids"] and found["fine"] == []
