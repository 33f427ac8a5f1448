"""The kudos flow on Teams, end to end: typed in a personal chat, answered with a card, DMs delivered."""

from __future__ import annotations

from sqlalchemy import select

from store.models import Kudos
from tests.teams.conftest import BOT_ID, TENANT, card_text, mention, user_id


async def test_typed_kudos_reach_each_recipient_in_their_language(teams):
    await teams.say("alice", "help")  # Alice has written before: her chat is known
    sent = await teams.say(
        "bob",
        "kudos <at>Alice Smith</at> <at>张伟</at> great demo #ownership",
        entities=[mention("alice"), mention("wei")],
    )
    assert "Kudos sent to Alice Smith and 张伟" in teams.reply_text(sent)

    outcomes = await teams.deliver()
    assert [o.status for o in outcomes] == ["sent", "sent"]
    alice_dm = teams.connector.messages("a:dm-alice")[-1]
    assert card_text(alice_dm) == "🎉 **Bob Brown** gave you kudos: great demo\nValues: #ownership"
    # Wei never wrote to Rapport: the 1:1 conversation is created from his Teams id, then used.
    [created] = teams.connector.created()
    assert created.body["members"] == [{"id": user_id("wei")}]
    assert created.body["bot"]["id"] == BOT_ID
    assert created.body["channelData"] == {"tenant": {"id": TENANT}}
    wei_conversation = teams.connector.conversation_with(user_id("wei"))
    [wei_dm] = teams.connector.messages(wei_conversation)
    assert card_text(wei_dm) == "🎉 **Bob Brown** 给你点赞：great demo\n价值观: #ownership"
    async with teams.app.db.read() as session:
        kudos = (await session.scalars(select(Kudos))).one()
    assert kudos.message == "great demo" and kudos.platform == "teams"


async def test_the_slash_is_optional_and_the_bots_own_mention_is_ignored(teams):
    sent = await teams.say(
        "bob",
        "<at>Rapport</at> /kudos <at>Alice Smith</at> thanks for the review",
        entities=[
            mention("alice"),
            {"type": "mention", "text": "<at>Rapport</at>", "mentioned": {"id": BOT_ID}},
        ],
    )
    assert "Kudos sent to Alice Smith" in teams.reply_text(sent)


async def test_unknown_slash_command_is_answered_with_help(teams):
    sent = await teams.say("bob", "/frobnicate now")
    assert "I don't know the command `/frobnicate`" in teams.reply_text(sent)
