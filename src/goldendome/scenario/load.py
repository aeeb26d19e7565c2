"""Read a scenario file: YAML -> validated Scenario, or one line naming file, line and field.

The YAML is composed once with its node marks so a validation error can point at the line
of the offending field (`scenario.yaml:12: threats[0].count: must be >= 1`).
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import InputError, ScenarioError  # noqa: F401  (ScenarioError re-exported)
from . import catalog, presets
from .threats import threat_salvo
from .schema import Scenario


def load(path: str | Path) -> Scenario:
    """Parse and validate a goldendome/v1 scenario file (places and catalog ids checked too)."""
    path = Path(path)
    text = _read(path)
    try:
        node, data = _compose(path, text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ScenarioError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping with schema, name and threats")
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        err = max(exc.errors(), key=lambda e: len(e["loc"]))  # union branches: the deepest is the real one
        loc = list(err["loc"])
        raise ScenarioError(f"{path}:{_line(node, loc)}: {_dotted(loc)}: {err['msg']}") from None
    if isinstance(sc.architecture, str):
        arch = _try(presets.architecture, sc.architecture, path, node, ["architecture"])
        sc = sc.model_copy(update={"architecture": arch})
    _check_catalog(sc, path, node)
    return sc


def digest(path: str | Path) -> str:
    """SHA-256 of the scenario text (stored with every run)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


MAX_FILE_BYTES = 10 * 2**20  # a scenario is a few kB; a 10 MB one is a mistake
MAX_DEPTH = 50                # YAML nesting: a scenario needs about 6 levels


def _read(path: Path) -> str:
    """The text of a regular file of at most MAX_FILE_BYTES (a FIFO or /dev/zero would block or never end)."""
    try:
        if not path.is_file():
            raise ScenarioError(f"{path}: cannot read (not a regular file)" if path.exists() else
                                f"{path}: cannot read (no such file)")
        with path.open("rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ScenarioError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB; a scenario is a few kB")
        return raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None


def _compose(path: Path, text: str):
    """The YAML node tree and data; refuses nesting deeper than MAX_DEPTH and duplicate keys."""
    try:
        node = yaml.compose(text)
        _check_node(path, node, 0)
        return node, yaml.safe_load(text)
    except RecursionError:
        raise ScenarioError(f"{path}: nested deeper than {MAX_DEPTH} levels") from None


def _check_node(path: Path, node, depth: int) -> None:
    if node is None:
        return
    if depth > MAX_DEPTH:
        raise ScenarioError(f"{path}:{node.start_mark.line + 1}: nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for k, v in node.value:
            key = getattr(k, "value", None)
            if isinstance(k, yaml.ScalarNode) and key in seen:
                raise ScenarioError(f"{path}:{k.start_mark.line + 1}: duplicate key '{key}' (first at line "
                                    f"{seen[key]}): the last would silently win")
            seen[key] = k.start_mark.line + 1
            _check_node(path, v, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _check_node(path, v, depth + 1)


def _dotted(loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "LatLon", "Architecture", "list[Asset]"):
            continue  # pydantic's union branch names
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _line(node, loc) -> int:
    """1-based line of the deepest YAML node on ``loc`` that exists."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _child(node, part):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == part:
                return v
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def _check_catalog(sc: Scenario, path: Path, node) -> None:
    """Catalog ids and places exist (one line with the field path on the first that does not)."""
    for i, th in enumerate(sc.threats):
        for field, fn in (("missile", catalog.missile), ("launch", _place), ("target", _place)):
            _try(fn, getattr(th, field), path, node, ["threats", i, field])
        try:  # the salvo's numbers and the missile's payload, before anything is flown
            threat_salvo(th)
        except InputError as exc:
            field = str(exc).split()[0].rstrip(":")
            loc = ["threats", i] + ([field] if field in type(th).model_fields else [])
            msg = str(exc)[len(field) + 1:].lstrip() if field in type(th).model_fields else str(exc)
            raise ScenarioError(f"{path}:{_line(node, loc)}: {_dotted(loc)}: {msg}") from None
    for i, s in enumerate(sc.architecture.sensors):
        table = ("radars.yaml", "radars") if s.kind == "radar" else ("sensors.yaml", "sensors")
        _try(lambda t: catalog.entry(*table, t), s.type, path, node, ["architecture", "sensors", i, "type"])
        if s.site is not None:
            _try(_place, s.site, path, node, ["architecture", "sensors", i, "site"])
    _check_weapons(sc, path, node)


def _check_weapons(sc: Scenario, path: Path, node) -> None:
    """Build every radar and effector once (cheap: no flight, no sizing) so that a bad override or
    site is one line with file:line before anything is computed."""
    from .build import radar_of
    from .effectors import battery_from_spec, site_radians

    for i, s in enumerate(sc.architecture.sensors):
        if s.kind == "radar":
            _try(lambda spec: radar_of(spec, i), s, path, node, ["architecture", "sensors", i])
        elif s.model_extra:  # a space layer takes no overrides: a misspelt key would be ignored silently
            key = sorted(s.model_extra)[0]
            near = difflib.get_close_matches(key, type(s).model_fields, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else f" (fields: {', '.join(type(s).model_fields)})"
            loc = ["architecture", "sensors", i, key]
            raise ScenarioError(f"{path}:{_line(node, loc)}: {_dotted(loc)}: not a field of a space-ir sensor{hint}")
    entries = catalog.table("interceptors.yaml", "interceptors")
    for i, e in enumerate(sc.architecture.effectors):
        where = f"architecture.effectors[{i}]"
        _try(lambda spec: battery_from_spec(dict(spec), site_radians, entries, where=where), e, path, node,
             ["architecture", "effectors", i])


def _place(p):
    return catalog.place(p.model_dump() if hasattr(p, "model_dump") else p)


def _try(fn, value, path, node, loc):
    try:
        return fn(value)
    except InputError as exc:
        msg, field = str(exc), _dotted(loc)
        msg = msg[len(field) + 2:] if msg.startswith(field + ": ") else msg  # the builder named it already
        raise ScenarioError(f"{path}:{_line(node, loc)}: {field}: {msg}") from None
