"""One self-contained HTML page: plotly.js, the world map and every figure's data inline.

The page opens with no network: plotly.js is the copy shipped inside the plotly wheel, and
geo subplots find their TopoJSON in ``window.PlotlyGeoAssets``, which plotly.js reads before it
would fetch ``<topojsonURL>/world_110m.json`` from a CDN. Figure data sit in
``<script type="application/json">`` blocks (``JSON.parse`` reads them faster than script
literals); one small script draws them all and records, in ``window.goldendomeRenderedMs``,
the ``performance.now()`` (ms since navigation start) at which the last figure was drawn; the
performance mark ``goldendome-plotly-loaded`` tells how much of that was loading plotly.js.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from . import TOPOJSON_NAME, world_topojson_text

CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#14213d;color:#fff;padding:16px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.8;font-size:13px}main{max-width:1280px;margin:0 auto;padding:12px 24px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;margin:14px 0;padding:10px 14px}
h2{font-size:16px;margin:4px 0 8px}.note{font-size:12px;color:#555;margin:6px 0 0}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #e3e3e3;border-radius:6px;padding:8px 12px;
min-width:150px;background:#fff}.card b{display:block;font-size:20px}.card span{font-size:12px;color:#555}
table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #eee;padding:3px 10px;text-align:left}
td.num{text-align:right}.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 14px}
@media(max-width:900px){.grid{grid-template-columns:1fr}}
"""

RENDER_JS = """
(function () {
  var config = %s, jobs = [];
  document.querySelectorAll('script[type="application/json"][data-fig]').forEach(function (el) {
    var fig = JSON.parse(el.textContent);
    jobs.push(Plotly.newPlot(document.getElementById(el.dataset.fig), fig.data, fig.layout, config));
  });
  Promise.all(jobs).then(function () {
    window.goldendomeRenderedMs = performance.now();
    document.body.setAttribute("data-rendered", "1");
  }, function (err) { console.error("goldendome report: " + err); });
})();
"""


@dataclass(frozen=True)
class Section:
    """One block of the page: a heading, a figure (or none) and HTML around it."""

    key: str
    heading: str
    figure: go.Figure | None = None
    note: str = ""
    body: str = ""
    wide: bool = True


def esc(text) -> str:
    """HTML-escape any value's text."""
    return html.escape(str(text))


def cards(items: list[tuple[str, str]]) -> str:
    """A row of (value, label) summary cards."""
    return '<div class="cards">' + "".join(
        f'<div class="card"><b>{esc(v)}</b><span>{esc(label)}</span></div>' for v, label in items) + "</div>"


def table(headers: list[str], rows: list[list]) -> str:
    """A plain HTML table (values escaped)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(c) for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value) -> str:
    numeric = isinstance(value, (int, float)) or str(value).replace(".", "", 1).replace("-", "", 1).isdigit()
    return f'<td class="num">{esc(value)}</td>' if numeric else f"<td>{esc(value)}</td>"


def _script_json(text: str) -> str:
    """JSON text safe inside a <script> element ('</' cannot close it)."""
    return text.replace("</", "<\\/")


def _figure_block(s: Section) -> str:
    if s.figure is None:
        return ""
    fig = go.Figure(s.figure)  # a copy: the section heading replaces the figure's own title
    fig.update_layout(title_text=None, margin_t=30)
    data = _script_json(pio.to_json(fig, validate=False))
    return (f'<div id="fig-{esc(s.key)}" class="fig"></div>'
            f'<script type="application/json" data-fig="fig-{esc(s.key)}">{data}</script>')


def _section(s: Section) -> str:
    note = f'<p class="note">{s.note}</p>' if s.note else ""
    return f'<section id="{esc(s.key)}"><h2>{esc(s.heading)}</h2>{s.body}{_figure_block(s)}{note}</section>'


def _sections(sections: list[Section]) -> str:
    """Wide sections full width; consecutive narrow ones two to a row."""
    out, pending = [], []
    for s in sections + [None]:
        if s is not None and not s.wide:
            pending.append(_section(s))
            continue
        if pending:
            out.append('<div class="grid">' + "".join(pending) + "</div>")
            pending = []
        if s is not None:
            out.append(_section(s))
    return "".join(out)


def page(title: str, subtitle: str, sections: list[Section]) -> str:
    """The whole HTML document.

    Parameters
    ----------
    title, subtitle : str
        Plain text for the header (escaped).
    sections : list of Section
        In page order; a Section's ``note`` and ``body`` are HTML, written as given.
    """
    geo = f'window.PlotlyGeoAssets={{topojson:{{"{TOPOJSON_NAME}":{_script_json(world_topojson_text())}}}}};'
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{CSS}</style>",
        f"<script>{geo}</script>",
        f"<script>{get_plotlyjs()}</script>",
        '<script>performance.mark("goldendome-plotly-loaded")</script></head><body>',
        f"<header><h1>{esc(title)}</h1><p>{esc(subtitle)}</p></header><main>",
        _sections(sections), "</main>",
        f"<script>{RENDER_JS % json.dumps(CONFIG)}</script></body></html>"])
