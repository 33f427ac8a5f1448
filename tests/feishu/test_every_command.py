"""Every command over Feishu, in English and in Chinese: each answers its help to whoever asks, in
their language, as a message from the bot."""

from __future__ import annotations

import re

import pytest

from bot.features import build_router

CJK = re.compile(r"[\u4e00-\u9fff]")
COMMANDS = build_router(public_url="http://127.0.0.1:3000").names


@pytest.mark.parametrize("command", COMMANDS)
async def test_every_commands_help_in_both_languages(plain_feishu, command):
    feishu = plain_feishu
    await feishu.say("alice", f"/{command} help")
    await feishu.say("wei", f"/{command} help")
    await feishu.deliver()

    (to_alice,) = feishu.seen("alice")
    (to_wei,) = feishu.seen("wei")
    assert to_alice and not CJK.search(to_alice.replace("张伟", "")), to_alice
    assert CJK.search(to_wei), to_wei
