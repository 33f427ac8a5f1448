"""What to enter in the Feishu developer console for this deployment, in the reader's language."""

from __future__ import annotations

from bot.i18n import Messages

REQUEST_PATH = "/feishu/events"
EVENT = "im.message.receive_v1"
CALLBACK = "card.action.trigger"
CONSOLE = {"feishu": "https://open.feishu.cn/app", "lark": "https://open.larksuite.com/app"}
SCOPES = (
    ("scope_send", "im:message:send_as_bot"),
    ("scope_p2p", "im:message.p2p_msg:readonly"),
    ("scope_group", "im:message.group_at_msg:readonly"),
    ("scope_name", "contact:user.base:readonly"),
    ("scope_email", "contact:user.email:readonly"),
    ("scope_id", "contact:user.id:readonly"),
)


def request_url(base_url: str) -> str:
    return base_url.rstrip("/") + REQUEST_PATH


def instructions(*, base_url: str, t: Messages, lark: bool = False) -> str:
    """The steps, with this deployment's request URL filled in."""
    lines = [
        t("feishu.setup.title"),
        "",
        t("feishu.setup.app", console=CONSOLE["lark" if lark else "feishu"]),
        t("feishu.setup.scopes"),
        *(f"   - {t(f'feishu.setup.{key}', scope=scope)}" for key, scope in SCOPES),
        t("feishu.setup.events_http", url=request_url(base_url), event=EVENT, callback=CALLBACK),
        t("feishu.setup.events_long"),
        t("feishu.setup.availability"),
    ]
    if not lark:
        lines.append(t("feishu.setup.domain"))
    return "\n".join(lines)
