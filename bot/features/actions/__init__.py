"""Action items: `/action ...`, tracked from proposal to done, with their history."""

from __future__ import annotations

from bot.events import Action
from bot.features.actions import create, evidence, listing, manage, reminders, show
from bot.features.actions.common import load, local_now, parse_id
from bot.replies import Reply
from bot.router import Router
from bot.subcommands import HELP_WORDS, help_text, subcommands
from bot.turn import Turn

SUBCOMMANDS = {
    "add": create.create,
    "添加": create.create,
    "show": show.show,
    "查看": show.show,
    "list": listing.list_actions,
    "列表": listing.list_actions,
    "done": manage.done,
    "完成": manage.done,
    "drop": manage.drop,
    "放弃": manage.drop,
    "edit": manage.edit,
    "修改": manage.edit,
    "snooze": manage.snooze,
    "推迟": manage.snooze,
    "accept": manage.accept,
    "接受": manage.accept,
}
# Words people use for a sub-command: asked back ("did you mean `/action done 5`?"), never a title.
SYNONYMS = {
    **dict.fromkeys(("complete", "completed", "finish", "finished", "close", "closed", "resolve"), "done"),
    **dict.fromkeys(("完毕", "做完", "搞定", "结束", "关闭"), "完成"),
    **dict.fromkeys(("delete", "remove", "cancel", "discard", "abandon"), "drop"),
    **dict.fromkeys(("删除", "删掉", "取消", "移除"), "放弃"),
    **dict.fromkeys(("change", "update", "rename", "modify"), "edit"),
    **dict.fromkeys(("更改", "编辑", "更新"), "修改"),
    **dict.fromkeys(("postpone", "defer", "delay", "later"), "snooze"),
    **dict.fromkeys(("延期", "延后", "推后"), "推迟"),
    **dict.fromkeys(("view", "details", "history", "info"), "show"),
    **dict.fromkeys(("显示", "详情", "历史"), "查看"),
    **dict.fromkeys(("ls", "all", "mine"), "list"),
}


async def accept_button(turn: Turn) -> Reply:
    event = turn.event
    assert isinstance(event, Action)
    return await manage.accept(turn, event.value)


async def done_button(turn: Turn) -> Reply:
    event = turn.event
    assert isinstance(event, Action)
    return await manage.done(turn, event.value)


async def snooze_button(turn: Turn) -> Reply:
    """Snooze from a reminder: a week on (see `reminders.snoozed_until`), kept in the history."""
    event = turn.event
    assert isinstance(event, Action)
    action, owner = await load(turn, parse_id(event.value)[0], to_change=True)
    until = reminders.snoozed_until(action, today=local_now(turn, owner).date())
    return await manage.snooze(turn, f"{action.id} until {until.isoformat()}")


def register(router: Router) -> None:
    table = {**SUBCOMMANDS, **dict.fromkeys(HELP_WORDS, help_text("action.help"))}
    handler = subcommands(table, otherwise=create.create, synonyms=SYNONYMS, content="action.as_title")
    router.command("action", "行动")(handler)
    router.action("action.accept")(accept_button)
    router.action(reminders.DONE_ACTION)(done_button)
    router.action(reminders.SNOOZE_ACTION)(snooze_button)
    router.job(reminders.KIND)(reminders.remind)
    router.evidence("actions")(evidence.gather)
