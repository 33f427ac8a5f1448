"""Microsoft's own checks, run by Node.js: the adaptivecards library on cards, and the Teams manifest
schemas the @microsoft/app-manifest package ships (tests/payloads/check.js).

The packages are pinned in package.json and package-lock.json beside this file; `npm ci` installs
them when they are missing (`make test` does it first).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
MAX_CARD_VERSION = "1.5"  # what Teams renders on desktop, web and mobile


def _node_modules() -> None:
    if (HERE / "node_modules" / "adaptivecards").is_dir():
        return
    if shutil.which("npm") is None:
        pytest.fail("the payload checks need Node.js 18+ and npm (README: `make test`)")
    subprocess.run(
        ["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund"],
        check=True,
        capture_output=True,
        timeout=600,
    )


def check(
    *,
    cards: dict[str, dict[str, Any]] | None = None,
    manifest: dict[str, Any] | None = None,
    localisation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What Microsoft's tools say: `{"cards": {name: [problem, ...]}, "manifest": [...],
    "localisation": [...]}`, each list empty when all is well."""
    _node_modules()
    node = shutil.which("node")
    if node is None:
        pytest.fail("the payload checks need Node.js 18+ (README: `make test`)")
    document = {
        "cards": cards or {},
        "maxVersion": MAX_CARD_VERSION,
        "manifest": manifest,
        "localisation": localisation,
    }
    done = subprocess.run(
        [node, str(HERE / "check.js")],
        input=json.dumps(document, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
