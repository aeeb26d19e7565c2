"""Reference architectures ``small``, ``medium`` and ``large`` (scenario/presets/*.yaml).

A scenario may name one (``architecture: medium``) instead of writing its sensors, effectors
and C2 inline. Each preset file holds ``name``, ``description`` and ``architecture`` (the
same mapping a scenario's inline architecture takes); every count carries its public basis
or the word "assumed" in a comment beside it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import InputError
from .schema import Architecture

PRESET_DIR = Path(__file__).with_name("presets")
ORDER = ("small", "medium", "large")


def names() -> list[str]:
    """Preset names, smallest first, then any others in the folder."""
    found = sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))
    return [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]


@lru_cache(maxsize=None)
def _read(name: str) -> dict:
    if name not in names():
        raise InputError(f"architecture preset '{name}' is not one of: {', '.join(names())}")
    return yaml.safe_load((PRESET_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def describe(name: str) -> str:
    """The preset's one-paragraph description."""
    return str(_read(name).get("description", "")).strip()


def architecture(name: str) -> Architecture:
    """The preset as a validated :class:`Architecture` (a fresh copy each call)."""
    try:
        return Architecture.model_validate(_read(name)["architecture"])
    except ValidationError as exc:  # a broken packaged preset is a bug, but say where
        raise InputError(f"{PRESET_DIR / name}.yaml: {exc.errors()[0]['msg']}") from None
