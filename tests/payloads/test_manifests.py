"""The Slack app manifest is valid by Slack's published schema, and the Teams app package by
Microsoft's (the schemas the @microsoft/app-manifest package ships), with the icon sizes Teams wants."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from adapters.slack.manifest import build_manifest
from adapters.teams import package
from bot.features import build_router
from bot.i18n import Catalogue
from tests.payloads import node
from tests.teams.test_package import APP_ID, decode_png

ROOT = Path(__file__).parents[2]
SLACK_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "slack-manifest.schema.1.0.0.json").read_text()
)
CATALOGUE = Catalogue.load()


def slack_problems(manifest: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SLACK_SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(manifest)]


@pytest.mark.parametrize("url", [None, "https://rapport.acme.example/"])
def test_the_slack_manifest_is_valid_by_slacks_schema(url):
    """manifest.yml as shipped, and what `rapport slack manifest --url` prints."""
    if url is None:
        manifest = yaml.safe_load((ROOT / "manifest.yml").read_text("utf-8"))
    else:
        manifest = build_manifest(url=url, commands=build_router().commands, t=CATALOGUE.messages("en"))
    assert slack_problems(manifest) == []


def test_the_slack_schema_check_finds_a_broken_manifest():
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text("utf-8"))
    manifest["features"]["slash_commands"][0]["description"] = "x" * 2001
    manifest["settings"]["colour"] = "blue"
    found = slack_problems(manifest)
    assert any("colour" in problem for problem in found) and len(found) == 2


def teams_package() -> dict[str, bytes]:
    data = package.build(
        app_id=APP_ID,
        catalogue=CATALOGUE,
        registered=build_router().commands,
        version="1.0.0",
        website="https://rapport.acme.example",
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_teams_app_package_is_valid_by_microsofts_schema_with_its_icons():
    files = teams_package()
    manifest, chinese = json.loads(files["manifest.json"]), json.loads(files["zh-Hans.json"])
    found = node.check(manifest=manifest, localisation=chinese)
    assert (found["manifest"], found["localisation"]) == ([], [])
    assert [decode_png(files[manifest["icons"][icon]])[:3] for icon in ("color", "outline")] == [
        (192, 192, 6),
        (32, 32, 6),
    ]


def test_the_teams_schema_check_finds_a_broken_package():
    files = teams_package()
    manifest, chinese = json.loads(files["manifest.json"]), json.loads(files["zh-Hans.json"])
    manifest["name"]["short"] = "R" * 31
    chinese["name.colour"] = "蓝"
    found = node.check(manifest=manifest, localisation=chinese)
    assert any("/name/short" in problem for problem in found["manifest"])
    assert found["localisation"]
