"""`goldendome validate`: every validation case, with its source, inputs, expected value,
tolerance (physical units), measured value and verdict; a report shaped like MIL-STD-3022's.

Verdicts: ``pass`` / ``fail`` (validation cases), ``reproduced`` / ``not reproduced``
(calibration: parameters chosen to reproduce the figure, so agreement is not evidence),
``skipped`` (an oracle package is not installed).
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from ..errors import InputError
from ..study.numbers import rounded
from .validation_cases import CASES, Case


def validate(quick: bool = False, cases=CASES) -> dict:
    """Run the cases (``quick``: those marked quick); ``ok`` is False when any validation case fails."""
    t0 = time.perf_counter()
    rows = [_run(c) for c in cases if c.quick or not quick]
    count = {v: sum(r["verdict"] == v for r in rows) for v in ("pass", "fail", "reproduced", "not reproduced",
                                                              "skipped")}
    return {"cases": rows, "counts": count, "ok": count["fail"] == 0 and count["not reproduced"] == 0,
            "quick": quick, "wall_s": round(time.perf_counter() - t0, 1)}


def _run(c: Case) -> dict:
    row = {"id": c.id, "title": c.title, "kind": c.kind, "source": c.source, "inputs": c.inputs,
           "expected": rounded(c.expected, 6), "tolerance": rounded(c.tolerance, 6), "unit": c.unit}
    if c.needs and importlib.util.find_spec(c.needs) is None:
        return {**row, "measured": None, "error": None, "verdict": "skipped", "why": f"{c.needs} is not installed"}
    measured = float(c.measure())
    ok = abs(measured - c.expected) <= c.tolerance
    verdict = ("reproduced" if ok else "not reproduced") if c.kind == "calibration" else ("pass" if ok else "fail")
    return {**row, "measured": rounded(measured, 6), "error": rounded(measured - c.expected, 6), "verdict": verdict}


def write_report(result: dict, path: Path) -> Path:
    """A Markdown V&V report in MIL-STD-3022's order: intended use, referent, cases, results,
    calibration, limitations, parameters and their sources."""
    rows = [r for r in result["cases"] if r["kind"] != "calibration"]
    cal = [r for r in result["cases"] if r["kind"] == "calibration"]
    lines = ["# goldendome verification and validation report", "",
             "## 1. Intended use",
             "Open, unclassified trade studies of a layered missile shield: leakage, cost and sizing "
             "trends between architectures, not engineering or acquisition decisions.", "",
             "## 2. Referents",
             "Closed forms from the textbook literature, published study figures (APS 2003, CBO 2025-2026) and "
             "oracle libraries (sgp4, pymap3d), each named in the table.", "",
             "## 3. Cases and results", "", _table(rows), "",
             "## 4. Calibration (not validation)",
             "Parameters chosen to reproduce these figures; agreement shows the calibration holds, not that "
             "the model is right.", "", _table(cal), "",
             "## 5. Limitations",
             "Cases cover the physics kernels and the published anchors listed; the engagement model as a whole "
             "has no public referent. See docs/architecture.md and the catalog's sources.", "",
             "## 6. Parameters and their sources",
             "Every catalog number carries a source key (catalog/references*.yaml) or is marked assumed: "
             "`goldendome catalog --json` lists them.", ""]
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--report {path}: cannot write it ({exc.strerror or exc})") from None
    return path


def _table(rows: list[dict]) -> str:
    head = "| case | kind | expected | tolerance | measured | verdict | source |\n|---|---|---|---|---|---|---|"
    body = [f"| {r['title']} | {r['kind']} | {r['expected']} {r['unit']} | +-{r['tolerance']} | "
            f"{r['measured'] if r['measured'] is not None else '-'} | {r['verdict']} | {r['source']} |" for r in rows]
    return "\n".join([head, *body])
