"""Installing Rapport as `make demo` does (`make install`: a new venv, the latest pip, an editable
install) prints no packaging warning: setuptools' deprecation of the license table, its notice about
editable installs with an import hook."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_make_install_prints_no_packaging_warning(tmp_path):
    done = subprocess.run(
        [shutil.which("make") or "make", "-s", "-C", str(REPO), "install", f"VENV={tmp_path / 'venv'}"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # pip's notes about this machine's own package index settings are not the project's.
    lines = [line for line in (done.stdout + done.stderr).splitlines() if "WARNING: Location" not in line]
    assert not [line for line in lines if "warning" in line.lower() or "!!" in line], lines
    assert (tmp_path / "venv" / "bin" / "rapport").exists()
