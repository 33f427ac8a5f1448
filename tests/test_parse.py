"""Mentions in each platform's form (as its adapter hands them over), and #values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.markup import neutral
from adapters.teams.translate import to_event as teams_event
from bot.events import Mention
from bot.parse import (
    PersonRef,
    ValueTag,
    mention_of,
    person_refs,
    readable,
    rewrite_people,
    strip_edges,
    tokenize,
    value_tags,
)


def test_slack_mentions_with_and_without_label():
    text, mentions = neutral("<@U123|ann> <@W9ABC> thanks")
    refs = person_refs(tokenize(text, mentions=mentions))
    assert [(r.user_id, r.text) for r in refs] == [("U123", "@ann"), ("W9ABC", "<@W9ABC>")]


def test_teams_mentions_resolve_through_entities():
    activity = {
        "type": "message",
        "from": {"id": "29:me"},
        "text": "<at>Ann Lee</at> <at>Ghost</at> thanks",
        "entities": [{"type": "mention", "text": "<at>Ann Lee</at>", "mentioned": {"id": "29:abc"}}],
    }
    event = teams_event(activity, commands=())
    refs = person_refs(tokenize(event.text, mentions=event.mentions))
    assert refs == [PersonRef(text="Ann Lee", user_id="29:abc"), PersonRef(text="Ghost")]


def test_a_teams_mention_kept_for_later_is_rapports_own_and_reads_as_a_name():
    """An answer kept until a form is done holds Rapport's own mention: read again with no mention
    list, and shown as @Name."""
    mentions = (Mention(text="<at>Ann Lee</at>", user_id="29:abc", label="Ann Lee"),)
    text = "<at>Ann Lee</at> Draft the plan &amp; send it by 2026-12-20 #ownership"
    kept = rewrite_people(text, mentions=mentions, write=lambda ref: mention_of(42, f"{ref.text} <x|y>"))
    assert kept == "<@rapport:42|Ann Lee  x y > Draft the plan &amp; send it by 2026-12-20 #ownership"
    assert person_refs(tokenize(kept)) == [PersonRef(text="Ann Lee  x y ", person_id=42)]
    assert readable(kept) == "@Ann Lee  x y  Draft the plan &amp; send it by 2026-12-20 #ownership"
    assert readable("no mention <here>") == "no mention <here>"


def test_console_handles_and_emails():
    refs = person_refs(tokenize("@alice, @Wei@Example.com and @bob. great"))
    assert [(r.handle, r.email) for r in refs] == [("alice", None), (None, "wei@example.com"), ("bob", None)]


def test_an_email_in_the_text_is_not_a_mention():
    assert person_refs(tokenize("write to bob@example.com please")) == []


def test_values_are_lower_cased_once_each_and_never_numbers():
    segments = tokenize("#Ownership fixed issue #12 with #ownership and #客户")
    assert value_tags(segments) == ["ownership", "客户"]


def test_slack_channel_link_for_a_value_name_counts_as_the_value():
    text, mentions = neutral("great <#C0123|ownership>")
    assert value_tags(tokenize(text, mentions=mentions)) == ["ownership"]


def test_slack_escapes_and_links_become_plain_text():
    text, mentions = neutral("Q&amp;A &lt;3 <https://x.example/doc|the doc> <!here>")
    segments = tokenize(text, mentions=mentions)
    assert "".join(s for s in segments if isinstance(s, str)) == "Q&A <3 the doc @here"


def test_edges_drop_leading_mentions_and_trailing_values_only():
    segments = strip_edges(tokenize("@ann @bob thanks @wei for the #customer call #ownership #teamwork"))
    assert isinstance(segments[0], str) and segments[0].strip().startswith("thanks")
    assert isinstance(segments[-1], str) and segments[-1].strip().endswith("call")
    assert any(isinstance(s, ValueTag) and s.name == "customer" for s in segments)
    assert any(isinstance(s, PersonRef) and s.handle == "wei" for s in segments)


@given(st.text(max_size=300))
def test_tokenize_never_fails_and_loses_no_plain_text(text):
    segments = tokenize(text)
    for segment in segments:
        assert isinstance(segment, str | PersonRef | ValueTag)
    if "<" not in text and "&" not in text and "@" not in text and "#" not in text:
        assert "".join(segments) == text
