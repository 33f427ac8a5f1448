"""`rapport dingtalk setup`: what to configure in DingTalk's developer console, in English and Chinese."""

from __future__ import annotations

import argparse

from adapters.app import App
from adapters.dingtalk.settings import DingTalkSettings
from bot.i18n import LOCALES


async def setup(app: App, args: argparse.Namespace) -> int:
    settings = DingTalkSettings.from_env()
    for number, locale in enumerate(LOCALES):
        t = app.catalogue.messages(locale)
        state = t("dingtalk.setup.configured") if settings.enabled else t(
            "dingtalk.setup.missing", names=", ".join(settings.missing)
        )
        if number:
            print()
        print(t("dingtalk.setup.title"))
        print(t("dingtalk.setup.steps").strip())
        print(t("dingtalk.setup.status", state=state))
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    dingtalk = sub.add_parser("dingtalk", help="DingTalk")
    commands = dingtalk.add_subparsers(dest="dingtalk_command", required=True)
    parser = commands.add_parser(
        "setup", help="print what to configure in DingTalk's developer console (English and Chinese)"
    )
    parser.set_defaults(run=setup, needs_schema=False)
