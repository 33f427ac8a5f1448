"""`rapport shell` as a person types into it (piped input, so the output is a transcript)."""

from __future__ import annotations

import io

from adapters.console.chat import ConsoleChat
from adapters.console.shell import Shell
from bot.clock import ManualClock, ShiftedClock


async def transcript(app, lines: str, *, as_email: str = "bob@example.com") -> str:
    out = io.StringIO()
    clock = ShiftedClock(ManualClock(app.clock.now()))
    shell = Shell(app=app, chat=ConsoleChat(app=app, org="acme"), clock=clock, out=out, echo=True)
    assert await shell.chat.open()
    if await shell.become(as_email):
        await shell.run(io.StringIO(lines), interactive=False)
    return out.getvalue()


async def test_kudos_transcript_shows_reply_and_each_delivery(app, org):
    out = await transcript(app, "/kudos @alice @wei great demo #ownership\n:quit\n")
    assert out.splitlines() == [
        "Rapport console. You are Bob Brown <bob@example.com>. Type a command like `/kudos @alice great demo`, or :help.",
        "bob> /kudos @alice @wei great demo #ownership",
        "Rapport: Kudos sent to Alice Smith and 张伟. I've let them know.",
        "  → DM to Alice Smith <alice@example.com>: 🎉 Bob Brown gave you kudos: great demo",
        "                                           Values: #ownership",
        "  → DM to 张伟 <wei@example.com>: 🎉 Bob Brown 给你点赞：great demo",
        " " * len("  → DM to 1234 <wei@example.com>: ") + "价值观: #ownership",  # 张伟 is 4 columns
        "bob> :quit",
    ]


async def test_switching_person_and_channel(app, org):
    out = await transcript(app, ":as wei@example.com\n:in #general\n/kudos @bob 谢谢你的帮助\n:in dm\n")
    assert "你现在是 张伟 <wei@example.com>。" in out
    assert "wei #general> /kudos @bob 谢谢你的帮助" in out
    assert "已给 Bob Brown 点赞，我已通知对方并在这里发布。" in out
    # The channel post is in the organisation's language, labelled in the viewer's.
    assert "→ 发布在 #general: 🎉 张伟 gave kudos to Bob Brown: 谢谢你的帮助" in out
    assert out.splitlines()[-1] == "你现在在 dm。"


async def test_tick_moves_the_clock_forward_only(app, org):
    out = await transcript(app, ":tick +2h\n:tick 2020-01-01T00:00\n:tick someday\n")
    assert "The clock is now 2026-11-24 11:00 UTC." in out
    assert "I can't read 2020-01-01T00:00 as a time." in out
    assert "I can't read someday as a time." in out


async def test_help_unknown_directives_and_quit_stops_reading(app, org):
    out = await transcript(app, ":help\n:dance\n:quit\n/kudos @alice never sent\n")
    assert ":as EMAIL" in out
    assert "Unknown console command :dance. Type :help." in out
    assert "never sent" not in out


async def test_unknown_person_cannot_open_the_shell(app, org):
    out = await transcript(app, "/kudos @alice hi\n", as_email="mallory@example.com")
    assert out == "There is nobody with the email mallory@example.com in this organisation.\n"


async def test_free_text_gets_a_short_help(app, org):
    out = await transcript(app, "hello?\n")
    assert "I only understand commands here for now." in out
