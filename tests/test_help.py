"""`/help` lists every command the router knows, in the person's language, described by the catalogue."""

from __future__ import annotations

from bot.features import build_router
from bot.i18n import Catalogue


def test_every_registered_command_is_described_in_both_languages():
    catalogue = Catalogue.load()
    for name in build_router().names:
        for table in catalogue.tables.values():
            assert f"commands.{name}.description" in table, name


async def test_help_lists_every_command_with_its_usage(chat, app):
    names = app.core.router.names
    assert {"kudos", "feedback", "checkin", "action", "review", "rapport", "help"} <= set(names)
    await chat.send("alice", "/help")
    reply = chat.expect_reply("I'm Rapport")
    for name in names:
        assert f"`/{name}" in reply, name
    assert "`/review schedule @alice 2026-12-10 15:00`: Schedule and prepare review meetings" in reply
    await chat.send("alice", "/rapport")
    assert chat.replies[-1] == reply
    await chat.send("wei", "/帮助")
    chinese = chat.expect_reply("可用的命令", "`/action @bob 起草入职文档 截止 周五`：记录、查看或更新行动项")
    assert all(f"`/{name}" in chinese for name in names)


async def test_an_unknown_command_says_so_and_lists_the_commands(chat, app):
    await chat.send("alice", "/frobnicate")
    reply = chat.expect_reply("I don't know the command `/frobnicate`")
    assert all(f"`/{name}" in reply for name in app.core.router.names)


async def test_help_about_one_command_is_that_commands_own_help(chat, app):
    """`/help goal` answers as `/goal help` does, for every command, typed with or without its slash,
    a little misspelt, or in Chinese; `/help` about nothing Rapport has is the overview."""
    for name in app.core.router.names:
        if name == "help":
            continue
        await chat.send("alice", f"/{name} help")
        own = chat.replies[-1]
        assert "I'm Rapport" not in own or name == "rapport", name
        await chat.send("alice", f"/help {name}")
        assert chat.replies[-1] == own, name
    await chat.send("alice", "/goal help")
    goal = chat.replies[-1]
    for typed in ("/help /goal", "/help goals", "/help GOAL"):
        await chat.send("alice", typed)
        assert chat.replies[-1] == goal, typed
    await chat.send("wei", "/目标 帮助")
    chinese = chat.replies[-1]
    await chat.send("wei", "/帮助 目标")
    assert chat.replies[-1] == chinese
    await chat.send("alice", "/help banana")
    chat.expect_reply("I'm Rapport")
    await chat.send("alice", "/help help")
    chat.expect_reply("I'm Rapport")
