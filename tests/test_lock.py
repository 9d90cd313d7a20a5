"""requirements.lock (what `make install` installs, hashes checked) matches pyproject.toml: every
dependency, the test extra's too, is pinned there at a version its range allows, and every range stops
below the next major version. Fails after a dependency change until `make lock` is run."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(spec) for spec in specs]


def read_lock(text: str) -> dict[str, tuple[Version, int]]:
    """name → (pinned version, number of hashes)."""
    pins: dict[str, tuple[Version, int]] = {}
    current = None
    for line in text.splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            pins[current] = (Version(match[2]), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def lock_problems(requirements: list[Requirement], pins: dict[str, tuple[Version, int]]) -> list[str]:
    problems = []
    for req in requirements:
        name = canonicalize_name(req.name)
        if name not in pins:
            problems.append(f"{req.name}: not in requirements.lock")
        elif not req.specifier.contains(pins[name][0], prereleases=True):
            problems.append(f"{req.name}: locked {pins[name][0]} is outside {req.specifier}")
    problems += [f"{name}=={version}: no hash" for name, (version, hashes) in pins.items() if hashes == 0]
    return problems


def unbounded(requirements: list[Requirement]) -> list[str]:
    return [str(req) for req in requirements if not any(spec.operator in ("<", "<=", "==", "~=")
                                                         for spec in req.specifier)]


def test_every_dependency_is_locked_inside_its_range_with_hashes():
    pins = read_lock((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    assert lock_problems(declared(), pins) == []


def test_every_dependency_has_an_upper_bound():
    assert unbounded(declared()) == []


def test_the_checks_see_a_stale_lock():
    lock = "flask==3.1.3 \\\n    --hash=sha256:ab\nqrcode==8.2\n"
    requirements = [Requirement("flask>=4,<5"), Requirement("qrcode[pil]>=7.4,<9"), Requirement("redis>=5,<9")]
    assert lock_problems(requirements, read_lock(lock)) == [
        "flask: locked 3.1.3 is outside " + str(SpecifierSet("<5,>=4")), "redis: not in requirements.lock", "qrcode==8.2: no hash"]
    assert unbounded([Requirement("pillow>=10.3"), Requirement("pillow>=10.3,<14")]) == ["pillow>=10.3"]
