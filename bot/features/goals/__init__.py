"""Goals (issue 18): objectives and key results, set and tracked in chat (`/goal ...`)."""

from __future__ import annotations

from bot.features.goals import (
    create,
    development,
    drafts,
    evidence,
    listing,
    manage,
    newform,
    progress,
    talks,
)
from bot.router import Router
from bot.subcommands import HELP_WORDS, help_text, subcommands

SUBCOMMANDS = {
    "add": create.add,
    "添加": create.add,
    "new": newform.start,
    "新建": newform.start,
    "kr": create.key_result,
    "关键结果": create.key_result,
    "update": progress.update,
    "更新": progress.update,
    "done": progress.done,
    "完成": progress.done,
    "list": listing.list_goals,
    "列表": listing.list_goals,
    "show": listing.show,
    "查看": listing.show,
    "edit": manage.edit,
    "修改": manage.edit,
    "drop": manage.drop,
    "放弃": manage.drop,
    "next": drafts.next_cycle,
    "下期": drafts.next_cycle,
    "confirm": drafts.confirm,
    "确认": drafts.confirm,
    "idp": development.command,
    "发展计划": development.command,
}
# Words people use for a sub-command: asked back ("did you mean `/goal done 3.1`?"), never a title.
SYNONYMS = {
    **dict.fromkeys(("create", "objective", "okr"), "add"),
    **dict.fromkeys(("新增", "创建"), "添加"),
    **dict.fromkeys(("keyresult", "key-result", "result", "addkr"), "kr"),
    **dict.fromkeys(("progress", "set", "record", "checkin"), "update"),
    **dict.fromkeys(("进度", "记录"), "更新"),
    **dict.fromkeys(("complete", "completed", "finish", "finished", "close", "achieved"), "done"),
    **dict.fromkeys(("完毕", "做完", "搞定", "达成"), "完成"),
    **dict.fromkeys(("delete", "remove", "cancel", "discard", "abandon"), "drop"),
    **dict.fromkeys(("删除", "删掉", "取消", "移除"), "放弃"),
    **dict.fromkeys(("change", "rename", "modify", "status"), "edit"),
    **dict.fromkeys(("更改", "编辑", "状态"), "修改"),
    **dict.fromkeys(("view", "details", "history", "info"), "show"),
    **dict.fromkeys(("显示", "详情", "历史"), "查看"),
    **dict.fromkeys(("ls", "all"), "list"),
    **dict.fromkeys(("accept", "approve"), "confirm"),
    **dict.fromkeys(("develop", "development", "plan"), "idp"),
}


def register(router: Router) -> None:
    table = {**SUBCOMMANDS, **dict.fromkeys(HELP_WORDS, help_text("goal.help"))}
    router.command("goal", "目标")(subcommands(table, otherwise=help_text("goal.help"), synonyms=SYNONYMS))
    router.action(drafts.CONFIRM_ACTION)(drafts.confirm_button)
    router.action(talks.HELD_ACTION)(talks.held_button)
    router.action(talks.LATER_ACTION)(talks.later_button)
    router.job(talks.KIND)(talks.offer)
    router.evidence("goals", self_review=True, record=True)(evidence.contribute)
