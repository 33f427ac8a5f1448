"""`rapport feishu setup --url https://rapport.example.com`: what to enter in Feishu's developer
console, in English and in Chinese."""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from adapters.app import App
from adapters.feishu.settings import LARK_DOMAIN, FeishuSettings
from adapters.feishu.setup import instructions

LANGUAGES = ("en", "zh-Hans")


async def setup(app: App, args: argparse.Namespace) -> int:
    parts = urlsplit(args.url)
    if parts.scheme != "https" or not parts.netloc:
        print(f"--url must be the public https address of `rapport serve`, not {args.url!r}.", file=sys.stderr)
        return 2
    try:
        lark = FeishuSettings.from_env().domain == LARK_DOMAIN
    except ValueError:  # a half-configured app: the set-up is what will complete it
        lark = False
    languages = LANGUAGES if args.lang == "both" else (args.lang,)
    texts = [instructions(base_url=args.url, t=app.catalogue.messages(lang), lark=lark) for lang in languages]
    print("\n\n".join(texts))
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    feishu = sub.add_parser("feishu", help="Feishu / Lark set-up").add_subparsers(
        dest="feishu_command", required=True
    )
    parser = feishu.add_parser("setup", help="print what to enter in Feishu's developer console")
    parser.add_argument("--url", required=True, help="the public https base URL of `rapport serve`")
    parser.add_argument("--lang", choices=("both", *LANGUAGES), default="both", help="the language to print")
    parser.set_defaults(run=setup, needs_schema=False)
