"""Reference architectures ``small``, ``medium`` and ``large`` (scenario/presets/*.yaml).

A scenario may name one (``architecture: medium``) instead of writing its sensors, effectors
and C2 inline. Each preset file holds ``name``, ``description`` and ``architecture`` (the
same mapping a scenario's inline architecture takes); every count carries its public basis
or the word "assumed" in a comment beside it.
"""

from __future__ import annotations

from functools import lru_cache
import re
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


THREAT_SETS = Path(__file__).with_name("threat_sets.yaml")


@lru_cache(maxsize=None)
def _threat_sets() -> dict:
    return yaml.safe_load(THREAT_SETS.read_text(encoding="utf-8"))


def threat_set_names() -> list[str]:
    """Threat-set names in file order."""
    return list(_threat_sets())


def threat_set(name: str) -> dict:
    """One threat set: adversary, description, nominal raid, raid_sizes and salvo templates."""
    sets = _threat_sets()
    if name not in sets:
        raise InputError(f"threat set '{name}' is not one of: {', '.join(sets)}")
    return sets[name]


def raid(name: str, missiles: int | None = None) -> list[dict]:
    """Scenario ``threats`` for a raid of ``missiles`` (default: the set's nominal raid),
    dealt round-robin over the set's salvos."""
    ts = threat_set(name)
    n = ts["nominal"] if missiles is None else int(missiles)
    if n < 1:
        raise InputError(f"threat set '{name}': a raid needs at least one missile, got {n}")
    k = len(ts["salvos"])
    return [{**s, "count": n // k + (i < n % k)} for i, s in enumerate(ts["salvos"]) if n // k + (i < n % k)]


def scenario(arch: str | Architecture, threats: str, missiles: int | None = None, trials: int = 2000,
             seed: int = 7, assets="us-homeland"):
    """An in-memory Scenario: architecture (preset name or model) against a threat set's raid."""
    from .schema import Scenario

    arch_model = architecture(arch) if isinstance(arch, str) else arch
    name = f"{arch if isinstance(arch, str) else 'custom'}-vs-{threats}-{missiles or threat_set(threats)['nominal']}"
    return Scenario.model_validate({"schema": "goldendome/v1", "name": name, "seed": seed, "trials": trials,
                                    "threats": raid(threats, missiles), "architecture": arch_model.model_dump(),
                                    "assets": assets})


def _comments(text: str) -> dict[int, str]:
    """Line number (0-based) -> the text after '#' on that line, for lines that carry data."""
    out = {}
    for i, line in enumerate(text.splitlines()):
        m = re.match(r"^\s*[^#\s].*?\s#\s?(.*)$", line)
        if m:
            out[i] = m.group(1).strip()
    return out


def annotated_rows(name: str) -> list[tuple]:
    """('', field, value, source) for each sensor, effector and C2 entry of a preset, the source being
    the comment beside it in the preset file (None where there is none)."""
    text = (PRESET_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    notes, root = _comments(text), yaml.compose(text)
    rows = []
    arch = next(v for k, v in root.value if k.value == "architecture")
    for key_node, val_node in arch.value:
        key = key_node.value
        if isinstance(val_node, yaml.SequenceNode):
            for i, item in enumerate(val_node.value):
                rows.append(("", f"{key}[{i}]", yaml.safe_load(yaml.serialize(item)), notes.get(item.start_mark.line)))
        elif isinstance(val_node, yaml.MappingNode):
            for k, v in yaml.safe_load(yaml.serialize(val_node)).items():
                rows.append(("", f"{key}.{k}", v, notes.get(val_node.start_mark.line)))
        else:
            rows.append(("", key, yaml.safe_load(yaml.serialize(val_node)), notes.get(val_node.start_mark.line)))
    return rows
