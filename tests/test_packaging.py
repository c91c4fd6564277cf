"""The wheel carries everything the app needs outside its checkout.

config.py, templates/ and migrations/ sit beside webapp/ in the checkout; the wheel ships config
as a top-level module and the two folders as webapp/templates and webapp/migrations (see
pyproject.toml). `.ci/run` installs the wheel in a fresh venv and runs it; this test only reads
the wheel's file list, so it is quick and needs no network.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Never copied into the build: environments, caches and earlier build output.
SKIP = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                              "*.pyc", "instance", "test-artifacts", ".hypothesis",
                              ".pytest_cache", ".ruff_cache")


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    # Built from a copy: setuptools writes build/ into the source tree, and files left there by
    # an earlier build would end up in the wheel and hide a missing one.
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=SKIP)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp / "dist"), str(source)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = (tmp / "dist").glob("aftalehjul-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _files(folder: str) -> list[Path]:
    return [p for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


def test_the_wheel_has_settings_templates_migrations_and_static_files(
        wheel_names: set[str]) -> None:
    expected = {
        "config.py",
        "webapp/__init__.py",
        "webapp/templates/base.html",
        "webapp/templates/auth/login.html",
        "webapp/templates/emails/invitation.txt",
        "webapp/migrations/env.py",
        "webapp/migrations/alembic.ini",
        "webapp/migrations/script.py.mako",
        "webapp/static/app.css",
    }
    versions = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    assert versions
    expected |= {f"webapp/migrations/versions/{p.name}" for p in versions}
    assert sorted(expected - wheel_names) == []


def test_every_file_of_the_app_is_in_the_wheel(wheel_names: set[str]) -> None:
    """pyproject.toml lists the packages by hand: a new subpackage must be added there."""
    expected = {p.relative_to(ROOT).as_posix() for p in _files("webapp")}
    for folder in ("templates", "migrations"):
        expected |= {f"webapp/{p.relative_to(ROOT).as_posix()}" for p in _files(folder)}
    missing = sorted(expected - wheel_names)
    assert missing == [], f"not in the wheel (list it in pyproject.toml): {missing}"


def test_the_wheel_adds_no_stray_top_level_names(wheel_names: set[str]) -> None:
    top = {name.split("/")[0] for name in wheel_names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"config.py", "webapp"}
