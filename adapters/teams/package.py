"""The Teams app package: manifest.json, a Chinese localisation, and two icons drawn with the stdlib.

Teams wants a 192×192 colour icon and a 32×32 outline icon (white on a transparent background).
PNG is simple enough to write with zlib and struct, so no image library is needed.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable

from bot.i18n import Catalogue, Messages

MANIFEST_VERSION = "1.17"
SCHEMA = (
    f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
)
LOCALISATION_SCHEMA = (
    f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/"
    "MicrosoftTeams.Localization.schema.json"
)
ACCENT = (0x2E, 0x5E, 0xAA)
MAX_COMMANDS = 10  # Teams shows at most ten commands per command list

Pixel = tuple[int, int, int, int]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(size: int, pixel: Callable[[float, float], Pixel]) -> bytes:
    """An RGBA PNG of `size`×`size`; `pixel(x, y)` colours each pixel, x and y in 0..1 from the top left."""
    rows = bytearray()
    for row in range(size):
        rows.append(0)  # filter: none
        for column in range(size):
            rows.extend(pixel((column + 0.5) / size, (row + 0.5) / size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _in_bubble(x: float, y: float) -> bool:
    """A speech bubble: a ring with a small tail at the bottom left."""
    distance = ((x - 0.5) ** 2 + (y - 0.46) ** 2) ** 0.5
    ring = 0.22 <= distance <= 0.34
    tail = 0.2 <= x <= 0.36 and 0.68 <= y <= 0.86 and (x - 0.2) >= (y - 0.68)
    return ring or tail


def colour_icon() -> bytes:
    white, accent = (255, 255, 255, 255), (*ACCENT, 255)
    return png(192, lambda x, y: white if _in_bubble(x, y) else accent)


def outline_icon() -> bytes:
    return png(32, lambda x, y: (255, 255, 255, 255) if _in_bubble(x, y) else (0, 0, 0, 0))


def _commands(t: Messages, names: Iterable[str]) -> list[dict[str, str]]:
    return [{"title": name, "description": _described(t, name)} for name in names][:MAX_COMMANDS]


def _described(t: Messages, name: str) -> str:
    usage = t(f"commands.{name}.usage_hint")
    return (
        f"{t(f'commands.{name}.description')}: {name} {usage}".strip()
        if usage
        else t(f"commands.{name}.description")
    )


def described_commands(catalogue: Catalogue, registered: Iterable[str]) -> list[str]:
    """The router's commands that the catalogue describes, in the catalogue's order."""
    registered = set(registered)
    described = [key.split(".")[1] for key in catalogue.tables["en"] if key.startswith("commands.")]
    return [name for name in dict.fromkeys(described) if name in registered]


def manifest(*, app_id: str, version: str, t: Messages, commands: list[str], website: str) -> dict:
    """manifest.json: a personal-scope bot with its command list, in English."""
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": "Rapport",
            "websiteUrl": website,
            "privacyUrl": website,
            "termsOfUseUrl": website,
        },
        "name": {"short": "Rapport", "full": "Rapport"},
        "description": {"short": t("teams.short_description"), "full": t("teams.full_description")},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [{"scopes": ["personal"], "commands": _commands(t, commands)}],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
        "localizationInfo": {
            "defaultLanguageTag": "en-us",
            "additionalLanguages": [{"languageTag": "zh-cn", "file": "zh-Hans.json"}],
        },
    }


def localisation(t: Messages, commands: list[str]) -> dict:
    """The Chinese strings of the manifest, keyed the way Teams localisation files are."""
    strings = {
        "$schema": LOCALISATION_SCHEMA,
        "name.short": "Rapport",
        "name.full": "Rapport",
        "description.short": t("teams.short_description"),
        "description.full": t("teams.full_description"),
    }
    for index, command in enumerate(_commands(t, commands)):
        strings[f"bots[0].commandLists[0].commands[{index}].description"] = command["description"]
    return strings


def build(
    *, app_id: str, catalogue: Catalogue, registered: Iterable[str], version: str, website: str
) -> bytes:
    """The package as zip bytes, ready to upload to Teams."""
    commands = described_commands(catalogue, registered)
    en, zh = catalogue.messages("en"), catalogue.messages("zh-Hans")
    files = {
        "manifest.json": json.dumps(
            manifest(app_id=app_id, version=version, t=en, commands=commands, website=website),
            indent=2,
            ensure_ascii=False,
        ),
        "zh-Hans.json": json.dumps(localisation(zh, commands), indent=2, ensure_ascii=False),
        "color.png": colour_icon(),
        "outline.png": outline_icon(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
