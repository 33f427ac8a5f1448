"""Private feedback: `/feedback @ann ...`, shared with a manager only when the giver chooses; and
peer-feedback requests: `/feedback request @bob @wei ...`."""

from __future__ import annotations

from bot.events import Action, Command
from bot.features.feedback import give, request_form, request_list, requests, respond
from bot.features.feedback.request_common import DECLINE_ACTION
from bot.replies import Reply, Text
from bot.router import Router
from bot.turn import Turn

SUBCOMMANDS = {
    "list": respond.list_feedback,
    "列表": respond.list_feedback,
    "thank": respond.thank,
    "感谢": respond.thank,
    "reply": respond.reply,
    "回复": respond.reply,
    "share": give.share,
    "分享": give.share,
    "request": requests.request_command,
    "请求": requests.request_command,
    "requests": request_list.list_requests,
    "请求列表": request_list.list_requests,
    "answer": request_form.answer,
    "回答": request_form.answer,
    "decline": request_form.decline,
    "拒绝": request_form.decline,
}


async def feedback_command(turn: Turn) -> Reply:
    event = turn.event
    assert isinstance(event, Command)
    word, _, rest = event.text.strip().partition(" ")
    if word.lower() in ("", "help", "帮助"):
        return Reply(parts=(Text(text=turn.t("feedback.help")),), summary=turn.t("feedback.help"))
    handler = SUBCOMMANDS.get(word.lower())
    return await handler(turn, rest) if handler else await give.give(turn, event.text)


def _button(handler):
    async def pressed(turn: Turn) -> Reply:
        event = turn.event
        assert isinstance(event, Action)
        return await handler(turn, event.value)

    return pressed


def register(router: Router) -> None:
    router.command("feedback", "反馈")(feedback_command)
    router.action("feedback.thank")(_button(respond.thank))
    router.action("feedback.share")(_button(give.share))
    router.action(DECLINE_ACTION)(request_form.decline_button_pressed)
    # Before the check-ins' handler: a DM line answering a feedback form is taken here.
    router.message(request_form.on_message)
