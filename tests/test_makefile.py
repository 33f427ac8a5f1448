"""`make test` on a fresh machine: what the browser and card checks need beyond Python (Debian's
chromium, node and npm) is installed when it is missing and `make` can (as root, with apt-get), and
named when it cannot. apt-get is replaced by a script that records what it was asked."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make") or "make"  # the README's test command is `make test`


def apt_get(folder: Path, *, chromium: Path, exit_code: int = 0) -> Path:
    """A stand-in for apt-get: logs its arguments, and `install` puts an executable at `chromium`."""
    log = folder / "apt-get.log"
    script = folder / "apt-get"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> {log}\n'
        f'if [ "$1" = install ]; then : > {chromium}; /bin/chmod +x {chromium}; fi\n'
        f"exit {exit_code}\n"
    )
    script.chmod(0o755)
    return log


def make_test_deps(*, path: str, chromium: Path, user_id: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MAKE, "-s", "-C", str(REPO), "test-deps", f"CHROMIUM={chromium}", f"USER_ID={user_id}"],
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_as_root_what_is_missing_is_installed_with_apt_get(tmp_path):
    chromium = tmp_path / "chromium"
    log = apt_get(tmp_path, chromium=chromium)
    done = make_test_deps(path=str(tmp_path), chromium=chromium, user_id=0)  # no node or npm there
    assert done.returncode == 0, done.stderr
    assert "Installing Debian's chromium nodejs npm" in done.stdout
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq chromium nodejs npm"]
    assert os.access(chromium, os.X_OK)


def test_without_root_it_says_what_to_install_and_the_tests_go_on(tmp_path):
    chromium = tmp_path / "chromium"
    log = apt_get(tmp_path, chromium=chromium)
    done = make_test_deps(path=str(tmp_path), chromium=chromium, user_id=1000)
    assert done.returncode == 0, done.stderr
    assert "Missing Debian's chromium nodejs npm, which only root can install" in done.stdout
    assert "sudo apt-get install chromium nodejs npm" in done.stdout
    assert not log.exists()


def test_a_failed_install_is_said_and_the_tests_go_on(tmp_path):
    chromium = tmp_path / "chromium"
    apt_get(tmp_path, chromium=chromium, exit_code=100)
    done = make_test_deps(path=str(tmp_path), chromium=chromium, user_id=0)
    assert done.returncode == 0, done.stderr
    assert "Could not install chromium nodejs npm" in done.stdout


def test_nothing_is_done_when_nothing_is_missing(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("")
    chromium.chmod(0o755)
    for tool in ("node", "npm"):
        (tmp_path / tool).write_text("#!/bin/sh\n")
        (tmp_path / tool).chmod(0o755)
    log = apt_get(tmp_path, chromium=chromium)
    done = make_test_deps(path=str(tmp_path), chromium=chromium, user_id=0)
    assert (done.returncode, done.stdout, log.exists()) == (0, "", False)
