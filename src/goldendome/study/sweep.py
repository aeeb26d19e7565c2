"""Parameter sweeps: a study file -> a grid of scenario cells -> one DuckDB row per cell.

A study file (``schema: goldendome/study-v1``) names a base scenario and a grid::

    schema: goldendome/study-v1
    name: nk-count-vs-doctrine
    base: ../scenarios/nk-salvo-vs-defence.yaml   # relative to the study file, or an inline scenario mapping
    trials: 500                                   # optional: overrides the base scenario's trials
    seed: 7                                       # optional: overrides the base scenario's seed
    grid:                                         # cartesian product, in file order
      threats[0].count: [1, 2, 3, 5]
      architecture.c2.doctrine: [shoot-shoot, shoot-look-shoot]

Grid keys are dotted paths into the scenario mapping as written (``[i]`` indexes a list). Every
part but the last must exist in the base scenario; the last may be new (an optional field the
base leaves out), and the scenario's own validation then decides whether it is a field at all.
The value replaces what is there, so ``architecture: [small, medium, large]`` sweeps the
reference presets. Each cell is the base with its overrides set, validated exactly as
``goldendome run`` validates a scenario file.

Every cell runs with the same seed (common random numbers): differences between cells then
come from the parameters, not from sampling noise, which is what a comparison wants.

Notes
-----
A cell's key is the SHA-256 of its overrides as canonical JSON (keys sorted, no spaces), so it
does not depend on the grid's order or on which other cells exist. The study id is the name
and 12 hex digits of a SHA-256 over everything that fixes a cell's result except the grid: the
base scenario (as parsed), trials and seed. Adding values to the grid therefore keeps the cells
already computed. Cells are rows of ``sweep_cells`` in the run store, each written in its own
transaction, so a sweep killed at any point loses at most the cells in flight, and running it
again computes only the missing ones.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from goldendome.errors import InputError
from goldendome.scenario import load
from goldendome.scenario.schema import Scenario
from goldendome.study.store import Store, utc_timestamp

SCHEMA_ID = "goldendome/study-v1"
_FIELDS = {"schema", "name", "description", "base", "trials", "seed", "grid"}
_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_\-]*)|\[(\d+)\]")
_CELLS_DDL = """
CREATE TABLE IF NOT EXISTS sweep_cells (
    study_id VARCHAR NOT NULL,
    cell_key VARCHAR NOT NULL,
    overrides VARCHAR NOT NULL,
    metrics VARCHAR NOT NULL,
    created VARCHAR NOT NULL,
    PRIMARY KEY (study_id, cell_key)
)"""


@dataclass(frozen=True)
class Study:
    """A parsed study file.

    Attributes
    ----------
    path : Path
        The study file.
    name, study_id : str
        The study's name and its id (``name-`` and 12 hex digits).
    base : dict
        The base scenario mapping, trials and seed overrides applied.
    grid : dict of str to list
        Grid key -> values, in file order.
    """

    path: Path
    name: str
    study_id: str
    base: dict
    grid: dict


@dataclass(frozen=True)
class Cell:
    """One point of the grid: its overrides (grid order) and key (SHA-256 of canonical JSON)."""

    overrides: dict
    overrides_json: str
    key: str


def read_study(path: str | Path) -> Study:
    """Read and check a study file (the base scenario itself is checked by ``scenarios``).

    Raises
    ------
    InputError
        Unreadable file, not YAML, wrong schema, unknown field, bad base, empty or bad grid.
    """
    path = Path(path)
    doc = _yaml(path)
    if not isinstance(doc, dict):
        raise InputError(f"{path}: a study is a mapping with schema, name, base and grid")
    unknown = sorted(set(map(str, doc)) - _FIELDS)
    if unknown:
        raise InputError(f"{path}: {unknown[0]}: unknown field (expected one of {', '.join(sorted(_FIELDS))})")
    if doc.get("schema") != SCHEMA_ID:
        raise InputError(f"{path}: schema: expected {SCHEMA_ID!r}, got {doc.get('schema')!r}")
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{path}: name: a non-empty string is required")
    base = _with_overrides(path, _base(path, doc.get("base")), doc)
    grid = _grid(path, doc.get("grid"), base)
    digest = hashlib.sha256(canonical_json(base).encode()).hexdigest()[:12]
    return Study(path=path, name=name, study_id=f"{name}-{digest}", base=base, grid=grid)


def _yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None


def _base(path: Path, base) -> dict:
    """The base scenario mapping: inline, or read from a file relative to the study."""
    if isinstance(base, dict):
        return copy.deepcopy(base)
    if not isinstance(base, str) or not base.strip():
        raise InputError(f"{path}: base: a scenario file path or an inline scenario mapping is required")
    base_path = path.parent / base
    load.load(base_path)  # the base must be a valid scenario on its own (its errors name its file)
    data = _yaml(base_path)
    return data


def _with_overrides(path: Path, base: dict, doc: dict) -> dict:
    """The base with the study's trials and seed (integers: trials >= 1, seed >= 0)."""
    for field, low in (("trials", 1), ("seed", 0)):
        if field not in doc:
            continue
        value = doc[field]
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise InputError(f"{path}: {field}: expected an integer >= {low}, got {value!r}")
        base[field] = value
    return base


def _grid(path: Path, grid, base: dict) -> dict:
    """Grid keys checked against the base scenario; values non-empty lists without repeats."""
    if not isinstance(grid, dict) or not grid:
        raise InputError(f"{path}: grid: a mapping of scenario paths to lists of values is required")
    out = {}
    for key, values in grid.items():
        key = str(key)
        if not isinstance(values, list) or not values:
            raise InputError(f"{path}: grid: {key}: expected a non-empty list of values")
        if len({canonical_json(v) for v in values}) != len(values):
            raise InputError(f"{path}: grid: {key}: a value is repeated")
        try:
            set_path(copy.deepcopy(base), key, values[0])
        except InputError as exc:
            raise InputError(f"{path}: grid: {exc}") from None
        out[key] = values
    return out


def parse_path(key: str) -> list[str | int]:
    """``'threats[0].count'`` -> ``['threats', 0, 'count']``.

    Raises
    ------
    InputError
        The key is not dotted names with optional ``[i]`` indices.
    """
    parts = []
    for segment in key.split("."):
        tokens = list(_TOKEN.finditer(segment))
        if not tokens or "".join(t.group(0) for t in tokens) != segment or tokens[0].group(1) is None \
                or any(t.group(1) is not None for t in tokens[1:]):
            raise InputError(f"{key}: not a scenario path (dotted names with [i] list indices)")
        parts += [t.group(1) if t.group(1) is not None else int(t.group(2)) for t in tokens]
    return parts


def set_path(data: dict, key: str, value) -> None:
    """Set ``value`` at the dotted path ``key`` of a scenario mapping, in place.

    Raises
    ------
    InputError
        ``key: unknown path (...)`` when a part before the last is missing or of the wrong kind.
    """
    parts = parse_path(key)
    node = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                raise InputError(f"{key}: unknown path ({_dotted(parts[:depth]) or 'scenario'} has no item [{part}])")
        elif not isinstance(node, dict) or (part not in node and not last):
            raise InputError(f"{key}: unknown path ({_dotted(parts[:depth + 1])} is not in the base scenario)")
        if last:
            node[part] = copy.deepcopy(value)
        else:
            node = node[part]


def _dotted(parts) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f"{'.' if i else ''}{p}" for i, p in enumerate(parts))


def canonical_json(value) -> str:
    """JSON with sorted keys and no spaces: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def make_cell(overrides: dict) -> Cell:
    """A cell from its overrides (grid key -> value)."""
    text = canonical_json(overrides)
    return Cell(overrides=dict(overrides), overrides_json=text, key=hashlib.sha256(text.encode()).hexdigest())


def expand(study: Study) -> list[Cell]:
    """The grid's cartesian product, in file order (last key varies fastest)."""
    keys = list(study.grid)
    return [make_cell(dict(zip(keys, combo))) for combo in itertools.product(*study.grid.values())]


def cell_mapping(study: Study, cell: Cell) -> dict:
    """The cell's scenario mapping: the base with the cell's overrides set."""
    data = copy.deepcopy(study.base)
    for key, value in cell.overrides.items():
        set_path(data, key, value)
    return data


def scenarios(study: Study, cells: list[Cell]) -> list[Scenario]:
    """Validate every cell as ``goldendome run`` would (presets resolved, catalog ids checked).

    Raises
    ------
    InputError
        ``STUDY: cell {overrides}: FIELD: problem`` for the first cell that is not a valid scenario.
    """
    with tempfile.TemporaryDirectory(prefix="goldendome-sweep-") as tmp:
        scratch = Path(tmp) / "cell.yaml"
        return [_scenario(study, cell, scratch) for cell in cells]


def _scenario(study: Study, cell: Cell, scratch: Path) -> Scenario:
    data = cell_mapping(study, cell)
    where = f"{study.path}: cell {cell.overrides_json}"
    try:
        Scenario.model_validate(data)
    except ValidationError as exc:
        err = max(exc.errors(), key=lambda e: len(e["loc"]))
        field = load._dotted(list(err["loc"]))
        problem = "unknown path" if err["type"] == "extra_forbidden" else err["msg"]
        raise InputError(f"{where}: {field}: {problem}") from None
    scratch.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    try:
        return load.load(scratch)
    except InputError as exc:
        message = re.sub(rf"^{re.escape(str(scratch))}(:\d+)?: ", "", str(exc))
        raise InputError(f"{where}: {message}") from None


def ensure_table(store: Store) -> None:
    """Create ``sweep_cells`` in the store if it is missing."""
    with store._connect() as con:
        con.execute(_CELLS_DDL)


def done_keys(store: Store, study_id: str) -> set[str]:
    """Keys of the cells of ``study_id`` already stored."""
    with store._connect(read_only=True) as con:
        rows = con.execute("SELECT cell_key FROM sweep_cells WHERE study_id = ?", [study_id]).fetchall()
    return {r[0] for r in rows}


def insert_cell(store: Store, study_id: str, cell: Cell, metrics_json: str) -> bool:
    """Store one finished cell in its own transaction; False when it was there already."""
    with store._connect() as con:
        con.execute("BEGIN TRANSACTION")
        n = con.execute("SELECT count(*) FROM sweep_cells WHERE study_id = ? AND cell_key = ?",
                        [study_id, cell.key]).fetchone()[0]
        if not n:
            con.execute("INSERT INTO sweep_cells VALUES (?, ?, ?, ?, ?)",
                        [study_id, cell.key, cell.overrides_json, metrics_json, utc_timestamp()])
        con.execute("COMMIT")
    return not n


def stored_metrics(store: Store, study_id: str) -> dict[str, dict]:
    """Cell key -> metrics of every stored cell of ``study_id``."""
    with store._connect(read_only=True) as con:
        rows = con.execute("SELECT cell_key, metrics FROM sweep_cells WHERE study_id = ?", [study_id]).fetchall()
    return {key: json.loads(metrics) for key, metrics in rows}
