"""`rapport teams package`: a zip Teams accepts, with the router's commands and two icons."""

from __future__ import annotations

import argparse
import json
import struct
import zipfile
import zlib

from adapters.cli import parser
from adapters.cli.teams import package

APP_ID = "6f1c3a52-8a53-4b0e-9d2f-2a8f3c1b7e10"


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, colour type and the raw rows of an unfiltered RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        pos += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + width * 4
    return width, height, colour_type, [raw[i * stride + 1 : (i + 1) * stride] for i in range(height)]


async def test_package_has_a_current_manifest_and_both_icons(app, tmp_path, capsys):
    out = tmp_path / "rapport-teams.zip"
    args = parser().parse_args(["teams", "package", "--app-id", APP_ID, "--out", str(out)])
    assert await args.run(app, args) == 0
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png", "zh-Hans.json"]
        manifest = json.loads(archive.read("manifest.json"))
        chinese = json.loads(archive.read("zh-Hans.json"))
        colour, outline = archive.read("color.png"), archive.read("outline.png")

    assert tuple(int(p) for p in manifest["manifestVersion"].split(".")) >= (1, 16)
    assert manifest["$schema"].endswith(f"v{manifest['manifestVersion']}/MicrosoftTeams.schema.json")
    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID and bot["scopes"] == ["personal"]
    commands = bot["commandLists"][0]["commands"]
    assert [c["title"] for c in commands] == [
        "kudos",
        "feedback",
        "checkin",
        "action",
        "goal",
        "review",
        "rapport",
        "help",
    ]
    assert commands[0]["description"].startswith("Thank someone")
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in commands)
    assert chinese["bots[0].commandLists[0].commands[0].description"].startswith("为具体的事情感谢同事")

    width, height, colour_type, rows = decode_png(colour)
    assert (width, height, colour_type) == (192, 192, 6)
    assert {rows[0][i + 3] for i in range(0, len(rows[0]), 4)} == {255}  # opaque
    width, height, colour_type, rows = decode_png(outline)
    assert (width, height, colour_type) == (32, 32, 6)
    pixels = [row[i : i + 4] for row in rows for i in range(0, len(row), 4)]
    assert rows[0][:4] == b"\x00\x00\x00\x00"  # transparent background
    assert {p for p in pixels if p[3]} == {b"\xff\xff\xff\xff"}  # the outline is white
    assert "Wrote" in capsys.readouterr().out


async def test_an_app_id_that_is_not_a_guid_is_refused(app, tmp_path, capsys):
    out = tmp_path / "x.zip"
    args = argparse.Namespace(app_id="rapport", out=str(out), version="1.0.0", website="https://example.com")
    assert await package(app, args) == 2
    assert "must be the bot's Microsoft app id" in capsys.readouterr().err
    assert not out.exists()
