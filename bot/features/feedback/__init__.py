"""Private feedback: `/feedback @ann ...`, shared with a manager only when the giver chooses; and
peer-feedback requests: `/feedback request @bob @wei ...`."""

from __future__ import annotations

from bot.events import Action
from bot.features.feedback import evidence, give, request_form, request_jobs, request_list, requests, respond
from bot.features.feedback.request_common import CLOSE_KIND, DECLINE_ACTION, REMIND_KIND
from bot.replies import Reply
from bot.router import Router
from bot.subcommands import HELP_WORDS, help_text, subcommands
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
# Words people use for a sub-command: asked back ("did you mean `/feedback thank 3`?").
SYNONYMS = {
    **dict.fromkeys(("thanks", "thx"), "thank"),
    **dict.fromkeys(("谢谢", "致谢"), "感谢"),
    **dict.fromkeys(("respond",), "reply"),
    **dict.fromkeys(("回应", "答复"), "回复"),
    **dict.fromkeys(("forward",), "share"),
    **dict.fromkeys(("转发", "共享"), "分享"),
    **dict.fromkeys(("ask",), "request"),
    **dict.fromkeys(("refuse", "reject"), "decline"),
    **dict.fromkeys(("婉拒",), "拒绝"),
    **dict.fromkeys(("ls",), "list"),
}


def _button(handler):
    async def pressed(turn: Turn) -> Reply:
        event = turn.event
        assert isinstance(event, Action)
        return await handler(turn, event.value)

    return pressed


def register(router: Router) -> None:
    table = {**SUBCOMMANDS, **dict.fromkeys(HELP_WORDS, help_text("feedback.help"))}
    handler = subcommands(table, otherwise=give.give, synonyms=SYNONYMS, content="feedback.as_content")
    router.command("feedback", "反馈")(handler)
    router.action("feedback.thank")(_button(respond.thank))
    router.action("feedback.share")(_button(give.share))
    router.action(DECLINE_ACTION)(request_form.decline_button_pressed)
    router.job(REMIND_KIND)(request_jobs.remind)
    router.job(CLOSE_KIND)(request_jobs.close_job)
    router.evidence("feedback")(evidence.gather)
    # The form's answers (lines and buttons) reach it through `bot.features.forms`.
