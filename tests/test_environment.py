"""The environment ``dev.py`` builds is exactly the lock: every installed package is pinned in requirements.txt at
the version installed, and every package the lock holds for this Python and platform is installed."""

import importlib.metadata
import sys
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = {"pip"}  # pinned in the lock too, but installed first, by itself
OWN = {"snippets"}  # this repository, installed editable


def locked_here():
    """{name: version} of the lock's lines whose environment markers hold for this interpreter."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            (spec,) = requirement.specifier
            assert spec.operator == "==", f"not an exact pin: {line}"
            pins[canonicalize_name(requirement.name)] = spec.version
    return pins


def installed():
    return {canonicalize_name(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}


def test_every_lock_line_is_an_exact_pin_and_top_level_intent_is_locked():
    pins = locked_here()
    for line in (ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{name} is asked for in requirements.in but missing from the lock"
            assert requirement.specifier.contains(pins[name]), f"the lock has {name}=={pins[name]}: run dev.py lock"


def test_the_environment_is_exactly_the_lock():
    pins, have = locked_here(), installed()
    missing = {n: v for n, v in pins.items() if n not in have}
    extra = {n: v for n, v in have.items() if n not in pins and n not in OWN}
    wrong = {n: (have[n], v) for n, v in pins.items() if n in have and have[n] != v}
    assert not missing, f"locked but not installed: {missing}"
    assert not extra, f"installed but not locked: {extra}"
    assert not wrong, f"installed version differs from the lock (installed, locked): {wrong}"
    assert INSTALLER <= set(pins)


def test_the_lock_serves_every_supported_python():
    for version in ("3.11", "3.12", "3.13"):
        env = {"python_version": version, "python_full_version": f"{version}.5", "sys_platform": "linux",
               "platform_system": "Linux", "implementation_name": "cpython", "platform_machine": "x86_64",
               "platform_python_implementation": "CPython", "os_name": "posix"}
        names = set()
        for line in (ROOT / "requirements.txt").read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                requirement = Requirement(line)
                if requirement.marker is None or Marker(str(requirement.marker)).evaluate(env):
                    names.add(canonicalize_name(requirement.name))
        assert {"tensorflow", "keras", "numpy", "mkdocs-material", "pytest"} <= names, version
    assert sys.version_info >= (3, 11)
