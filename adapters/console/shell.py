"""`rapport shell`: an interactive (or piped, scriptable) chat with Rapport in the terminal."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from adapters.app import App
from adapters.console.chat import DM_CHANNEL, ConsoleChat
from bot.clock import ShiftedClock
from bot.features import build_scheduler
from bot.i18n import Messages

_DELTA = re.compile(r"^\+(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class Shell:
    """Reads lines, speaks as the current person, prints replies and what gets delivered."""

    def __init__(self, *, app: App, chat: ConsoleChat, clock: ShiftedClock, out: TextIO, echo: bool) -> None:
        self.app = app
        self.chat = chat
        self.clock = clock
        self.out = out
        self.echo = echo
        self.email = ""
        self.channel = DM_CHANNEL
        self.t: Messages = app.catalogue.messages(None)

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def become(self, email: str) -> bool:
        person = await self.chat.person(email)
        if person is None:
            self.say(self.t("console.unknown_person", email=email))
            return False
        self.email = person.email
        self.t = await self.chat.messages_for(person.email)
        return True

    @property
    def prompt(self) -> str:
        handle = self.email.split("@")[0]
        return f"{handle}{'' if self.channel == DM_CHANNEL else ' ' + self.channel}> "

    async def handle_line(self, line: str) -> bool:
        """Handle one line; False when the shell should stop."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return await self._directive(line)
        reply = await self.chat.send(email=self.email, text=line, channel=self.channel)
        if reply:
            self.say(_indent("Rapport: ", reply))
        await self.flush_deliveries()
        return True

    async def flush_deliveries(self) -> None:
        for delivery in await self.chat.deliver(viewer=self.t):
            self.say(_indent(f"  → {delivery.label}: ", delivery.text))
            for file in delivery.files:
                # The console has no chat client to hold a file: it lands in the working directory.
                path = Path(file.name)
                await asyncio.to_thread(path.write_text, file.content, encoding="utf-8")
                self.say("    " + self.t("console.saved", path=str(path)))

    async def _directive(self, line: str) -> bool:
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        if name in (":quit", ":q", ":exit"):
            return False
        if name == ":help":
            self.say(self.t("console.help"))
        elif name == ":as" and arg:
            if await self.become(arg):
                self.say(self.t("console.now_as", name=await self._name(), email=self.email))
        elif name == ":in" and arg:
            self.channel = DM_CHANNEL if arg.lower() == DM_CHANNEL else "#" + arg.lstrip("#")
            self.say(self.t("console.now_in", where=self.channel))
        elif name == ":tick":
            await self._tick(arg)
        else:
            self.say(self.t("console.unknown_directive", directive=line))
        return True

    async def _tick(self, arg: str) -> None:
        target = _parse_tick(arg or "+0m", now=self.clock.now())
        if target is None or target < self.clock.now():
            self.say(self.t("console.bad_tick", value=arg))
            return
        self.clock.set(target)
        self.say(self.t("console.clock", when=self.clock.now().strftime("%Y-%m-%d %H:%M UTC")))
        await build_scheduler(db=self.app.db, catalogue=self.app.catalogue).run_due(self.clock.now())
        await self.flush_deliveries()

    async def _name(self) -> str:
        person = await self.chat.person(self.email)
        return person.display_name

    async def run(self, stdin: TextIO, *, interactive: bool) -> None:
        person = await self.chat.person(self.email)
        example = await self.chat.example_handle(person)
        self.say(self.t("console.welcome", name=person.display_name, email=self.email, example=example))
        while True:
            if interactive:
                self.out.write(self.prompt)
                self.out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            if self.echo:
                self.say(self.prompt + line.rstrip("\n"))
            if not await self.handle_line(line):
                break


def _parse_tick(arg: str, *, now: datetime) -> datetime | None:
    if match := _DELTA.match(arg):
        return now + timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        when = datetime.fromisoformat(arg.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=now.tzinfo)


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _indent(head: str, text: str) -> str:
    pad = " " * _width(head)
    lines = text.splitlines() or [""]
    return "\n".join([head + lines[0], *(pad + line for line in lines[1:])])
