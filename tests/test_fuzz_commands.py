"""Random text after every command and sub-command, through the console: whatever people type gets
a polite answer, never "internal error" (seen before: `/feedback share ²`, `/action done
99999999999999999999999`, `/rapport mute until 9999-12-31`)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.features import actions, feedback, goals, presence, reviews

# The words that start a sub-command, in both languages, from the features' own tables.
SUBCOMMANDS = {
    "action": [*actions.SUBCOMMANDS, *actions.SYNONYMS],
    "goal": [*goals.SUBCOMMANDS, *goals.SYNONYMS],
    "feedback": [*feedback.SUBCOMMANDS, *feedback.SYNONYMS, "request show", "request 查看"],
    "review": [*reviews.SUBCOMMANDS, *reviews.SYNONYMS],
    "rapport": [*presence.SUBCOMMANDS, *presence.SYNONYMS, "dashboard"],
    "checkin": ["schedule", "日程", "help"],
    "kudos": [],
    "help": [],
}
PREFIXES = [f"/{name} {word}".strip() for name, words in SUBCOMMANDS.items() for word in ["", *words]]
PREFIXES += ["/目标", "/goal kr 1", "/goal update 1.1", "/goal add x for"]
PREFIXES += ["/行动", "/反馈", "/面谈", "/签到 日程", "/点赞", ""]  # "": a line in a DM
TOKENS = [
    *("0", "5", "#1", "＃１", "-1", "1.5", "²", "٣", "99999999999999999999999", "9" * 5000),
    *("9999-12-31", "0000-00-00", "2026-02-30", "dec 5", "12月5日", "5号", "the 31st", "next week"),
    *(
        "next friday",
        "下下周一",
        "两周后",
        "月初",
        "in 999 months",
        "friday after next",
        "today",
        "yesterday",
    ),
    *("@alice", "@bob", "@carol", "@wei", "@nobody", "@alice@example.com", "<@U123|x>", "<at>Bob</at>"),
    *("25:00", "23:59", "3pm", "下午3点半", "0m", "999999m", "60m", "1小时", "anyway", "their time", "仍然"),
    *("1.1", "1.9", "0 -> 40", "->", "40 -> 0 元", "confidence", "信心 11", "status", "at risk", "under 1"),
    *("until", "by", "截止", "about", '"topic"', "--anonymous", "--share-with-manager", "#ownership"),
    *("weekly", "daily", "monday", "off", "每周五", "16:00", "yes", "no", "skip", "back", "cancel", "3"),
    *("\x00", "\ud83d", "\u200b", "🙂", "<script>", "%s", "{name}", "{0}", "\\", "`", "*", "_", "\n"),
]
TEXT = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=6).map(" ".join)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(who=st.sampled_from(["alice", "carol", "wei", "dan"]), prefix=st.sampled_from(PREFIXES), text=TEXT)
async def test_no_command_answers_internal_error(chat, app, who, prefix, text):
    line = f"{prefix} {text}".strip() if prefix else text
    reply = await chat.send(who, line)
    for locale in ("en", "zh-Hans"):
        assert app.catalogue.messages(locale)("error.internal") not in (reply or ""), line


async def test_characters_no_database_stores_are_taken_out_of_what_people_type(chat):
    await chat.send("alice", "/action Draft\x00 the doc\ud83d")
    chat.expect_reply("Action #1 is on your list: Draft the doc?.")
    await chat.send("alice", "/kudos @bob thanks for the \x00review")
    chat.expect_reply("Bob Brown")
