"""`goldendome serve`: the FastAPI app: a CesiumJS globe that plays stored runs, and its JSON API.

Everything is served from this machine: the page, CesiumJS and its NaturalEarthII imagery
(``Settings.cesium_dir``), Swagger UI for ``/docs`` (``Settings.swagger_dir``). The app reads
runs from the DuckDB store and formats them (web/czml.py); it never recomputes physics. Runs
it starts are made by the ``runner`` it is handed (``goldendome serve`` hands it
:func:`goldendome.app.run.run`); the web layer imports no application module.

Security: only Host headers naming this machine are answered (no DNS rebinding); a request
body over :data:`MAX_BODY_BYTES` is refused with 413 as it streams in (by its Content-Length
before any of it is read, else once the bytes read pass the cap), never read whole; request
bodies are validated by pydantic and scenarios by scenario.load, as `goldendome run` does; a
run is refused (413) before it is queued when its objects (RVs and decoys, estimated from the
catalog) x trials pass ``Settings.max_object_trials`` or the run's memory budget (the
``budget`` check ``goldendome serve`` hands in: goldendome.app.run.check_budget); files are
served only from the folders above and scenarios only by listed name; every response carries
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``, every HTML page a
Content-Security-Policy; bad input gets a 4xx with a one-line ``detail``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._version import __version__
from ..errors import InputError, NotFound
from ..scenario.threats import objects_of
from ..study.store import DEFAULT_PATH, Store
from . import czml as czml_mod
from . import scenarios as listing
from .jobs import JobManager, Runner

STATIC = Path(__file__).with_name("static")
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1", "testserver"]
MAX_TRIALS = 100_000
MAX_MISSILES = 1_000
MAX_BODY_BYTES = 1 << 20  # 1 MiB: the largest request body read (a run request is ~200 B)
# The most objects x trials a run started here may have (~1.8 GB of engine state at 96 B per
# object-trial, goldendome.app.run.BYTES_PER_OBJECT_TRIAL); `goldendome serve --max-object-trials`.
MAX_OBJECT_TRIALS = 20_000_000
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}  # on every response
CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self' data: blob:; "
       "font-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'")


def node_dir(*parts: str) -> Path:
    """An npm asset folder: ``web/node_modules/<parts>`` of the source checkout this package was
    installed from (``make web`` fills it), else of the current folder."""
    root = Path(__file__).resolve().parents[3]  # <checkout>/src/goldendome/web/app.py, when it is one
    checkout = root.joinpath("web", "node_modules", *parts)
    if (root / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return Path.cwd().joinpath("web", "node_modules", *parts)


@dataclass
class Settings:
    """Where the server reads and writes; every folder is fixed when the server starts."""

    store: Path = Path(DEFAULT_PATH)
    data_dir: Path = Path("goldendome-data")
    scenarios_dir: Path = Path("scenarios")
    cesium_dir: Path = field(default_factory=lambda: node_dir("cesium", "Build", "Cesium"))
    swagger_dir: Path = field(default_factory=lambda: node_dir("swagger-ui-dist"))
    hosts: list[str] = field(default_factory=lambda: list(LOCAL_HOSTS))
    max_object_trials: int = MAX_OBJECT_TRIALS  # a run's objects x trials, above which it is refused (413)
    max_body_bytes: int = MAX_BODY_BYTES  # a request body's bytes, above which it is refused (413)


class RunRequest(BaseModel):
    """Start a run of a listed scenario, optionally with another architecture preset or threat set."""

    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(pattern=listing.NAME_RE.pattern, description="a name from GET /api/scenarios")
    architecture: str | None = Field(None, pattern=listing.NAME_RE.pattern,
                                     description="a preset from GET /api/presets (default: the scenario's own)")
    threat_set: str | None = Field(None, pattern=listing.NAME_RE.pattern,
                                   description="a catalog threat set from GET /api/threat-sets (default: the scenario's threats)")
    missiles: int | None = Field(None, ge=1, le=MAX_MISSILES, description="raid size for threat_set (default: its nominal)")
    trials: int | None = Field(None, ge=1, le=MAX_TRIALS, description="Monte Carlo trials (default: the scenario's)")
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="random seed (default: the scenario's)")


RunId = PathParam(pattern=listing.RUN_ID_RE, description="a run id from GET /api/runs")


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first.get("loc", []) if p != "body") or "request"
    clean = [{k: e.get(k) for k in ("loc", "msg", "type")} for e in errors]
    return JSONResponse({"detail": f"{where}: {first.get('msg')}", "errors": clean}, status_code=422)


def _status(exc: InputError) -> int:
    """HTTP status of a user-facing error, by its type (errors.py)."""
    return 404 if isinstance(exc, NotFound) else 400


def _input_error(_request: Request, exc: InputError) -> JSONResponse:
    return _error(_status(exc), str(exc).splitlines()[0])


def _internal_error(_request: Request, exc: Exception) -> JSONResponse:
    # answered outside the middleware (Starlette's ServerErrorMiddleware): its headers are set here
    return JSONResponse({"detail": f"internal error ({type(exc).__name__}); the server log has the details"},
                        status_code=500, headers=SECURITY_HEADERS)


def _store_not_found(exc: InputError) -> HTTPException:
    return HTTPException(_status(exc), str(exc).splitlines()[0])


def create_app(settings: Settings | None = None, runner: Runner | None = None,
               budget: Callable[..., None] | None = None) -> FastAPI:
    """The app on ``settings`` (default: the current folder's); ``runner`` makes the runs
    POST /api/runs starts (``runner(path, trials, seed, store_path, progress) -> summary``, a
    module-level function: it runs in a spawned process). Without one, POST /api/runs answers 503.
    ``budget(scenario)`` raises InputError for a run too large to start (``goldendome serve``
    hands in goldendome.app.run.check_budget); it is asked before a run is queued."""
    s = settings or Settings()
    app = FastAPI(title="goldendome", version=__version__, docs_url=None, redoc_url=None,
                  description="Missile-defence trade studies: scenarios, runs, metrics and globe replays.")
    app.state.settings, app.state.store = s, Store(s.store)
    app.state.jobs = JobManager(str(s.store), runner)
    app.state.budget = budget
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(BodyLimit, max_bytes=s.max_body_bytes)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=s.hosts)
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(Exception, _internal_error)
    app.router.on_shutdown.append(app.state.jobs.shutdown)
    _pages(app, s)
    _api_read(app)
    _api_runs(app)
    return app


class BodyTooLarge(HTTPException):
    """A request body over the cap (raised while it is read; FastAPI passes HTTPExceptions on)."""

    def __init__(self, max_bytes: int):
        # Connection: close: the server reads no more of this connection (uvicorn would drain it)
        super().__init__(413, f"request body too large: the limit is {max_bytes:,} bytes",
                         headers={"Connection": "close"})


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413 and a JSON ``detail``, while they stream in.

    A Content-Length over the cap is refused before any of the body is read; a body without one
    (chunked) is counted as the app reads it and refused once the count passes the cap. At most
    ``max_bytes`` plus one chunk of the server (64 KiB in uvicorn) is ever held."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, int(max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.strip().isdigit() or int(length) > self.max_bytes):
            await self._refuse(scope, send)
            return
        seen, started = 0, False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        exc = BodyTooLarge(self.max_bytes)
        await JSONResponse({"detail": exc.detail}, status_code=413, headers=exc.headers)(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def _script_hashes(html: bytes) -> str:
    """CSP sources for the inline scripts of an HTML page ('sha256-...' each)."""
    bodies = re.findall(rb"<script>(.*?)</script>", html, flags=re.S)
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(b).digest()).decode()}'" for b in bodies)


class SecurityHeaders:
    """:data:`SECURITY_HEADERS` on every response, and :data:`CSP` on every HTML response that
    does not set its own."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                if ctype.lower().startswith(b"text/html"):
                    extra.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers + [(k, v) for k, v in extra if k not in names]}
            await send(message)

        await self.app(scope, receive, with_headers)


def _pages(app: FastAPI, s: Settings) -> None:
    """The page, its assets, CesiumJS, and offline /docs."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _mount_or_explain(app, "/cesium", s.cesium_dir, "CesiumJS")
    _mount_or_explain(app, "/swagger", s.swagger_dir, "Swagger UI")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": CSP,
                                                            "Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if not (s.swagger_dir / "swagger-ui-bundle.js").is_file():
            return HTMLResponse("<p>Swagger UI is not installed (`make web` in the goldendome checkout). "
                                "The API schema is at <a href='/openapi.json'>/openapi.json</a>.</p>")
        page = get_swagger_ui_html(openapi_url="/openapi.json", title="goldendome API",
                                   swagger_js_url="/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/swagger/swagger-ui.css",
                                   swagger_favicon_url="/swagger/favicon-32x32.png")
        # Swagger UI starts from one inline script: allowed by its hash, no 'unsafe-inline'.
        csp = CSP.replace("script-src 'self'", f"script-src 'self' {_script_hashes(page.body)}")
        page.headers["Content-Security-Policy"] = csp
        return page


def _mount_or_explain(app: FastAPI, prefix: str, folder: Path, what: str) -> None:
    if folder.is_dir():
        app.mount(prefix, StaticFiles(directory=folder, follow_symlink=False), name=prefix.strip("/"))
        return

    @app.get(prefix + "/{rest:path}", include_in_schema=False)
    def missing(rest: str) -> JSONResponse:
        return _error(404, f"{what} is not installed here: run `make web` in the goldendome checkout")


def _api_read(app: FastAPI) -> None:
    """Read-only endpoints: scenarios, presets, runs, their globe documents, comparisons."""
    s: Settings = app.state.settings
    store: Store = app.state.store

    @app.get("/api/scenarios", tags=["scenarios"], summary="Scenarios in the scenarios folder")
    def scenarios() -> dict:
        return {"scenarios": listing.list_scenarios(s.scenarios_dir)}

    @app.get("/api/presets", tags=["scenarios"], summary="Architecture presets")
    def presets() -> dict:
        return {"presets": listing.list_presets()}

    @app.get("/api/threat-sets", tags=["scenarios"], summary="Catalog threat sets (raids by adversary)")
    def threat_sets() -> dict:
        return {"threat_sets": listing.list_threat_sets()}

    @app.get("/api/runs", tags=["runs"], summary="Stored runs, newest first")
    def runs() -> dict:
        return {"runs": store.list_runs()}

    @app.get("/api/runs/{run_id}", tags=["runs"], summary="One run: scenario text and full metrics")
    def run(run_id: str = RunId) -> dict:
        return _get_run(store, run_id)

    @app.get("/api/runs/{run_id}/czml", tags=["globe"], summary="The run's replay as CZML")
    def run_czml(run_id: str = RunId) -> Response:
        return _json_bytes(_document(store, run_id, "czml"))

    @app.get("/api/runs/{run_id}/scene", tags=["globe"], summary="The run's replay, compact, as the page plays it")
    def run_scene(run_id: str = RunId) -> Response:
        return _json_bytes(_document(store, run_id, "scene"))

    @app.get("/api/compare", tags=["runs"], summary="Runs side by side (headline metrics)")
    def compare(run_id: list[str] = Query(min_length=1, max_length=20, description="run ids (repeat the parameter)")
                ) -> dict:
        bad = [r for r in run_id if not _valid_run_id(r)]
        if bad:
            raise HTTPException(422, f"run_id: {bad[0]!r} is not a run id (r + 12 hex digits)")
        return listing.compare([_get_run(store, r) for r in run_id])


def _valid_run_id(run_id: str) -> bool:
    return re.fullmatch(listing.RUN_ID_RE.strip("^$"), run_id) is not None


def _get_run(store: Store, run_id: str) -> dict:
    try:
        return store.get_run(run_id)
    except InputError as exc:
        raise _store_not_found(exc) from None


def _json_bytes(body: bytes) -> Response:
    return Response(body, media_type="application/json", headers={"Cache-Control": "private, max-age=3600"})


def _document(store: Store, run_id: str, kind: str) -> bytes:
    """CZML or scene JSON of a run (cached per store file, run and kind: runs never change)."""
    return _document_cached(str(store.path), store, run_id, kind)


@lru_cache(maxsize=16)
def _document_cached(_path: str, store: Store, run_id: str, kind: str) -> bytes:
    run = _get_run(store, run_id)
    try:
        replay = store.artifact(run_id, "replay")
    except InputError as exc:
        raise _store_not_found(exc) from None
    if replay is None:
        raise HTTPException(404, f"run {run_id!r} has no replay (stored before replays existed); run it again")
    doc = czml_mod.czml(replay, run) if kind == "czml" else czml_mod.scene(replay, run)
    return json.dumps(doc, separators=(",", ":"), allow_nan=False).encode()


def _api_runs(app: FastAPI) -> None:
    """Starting runs and following their jobs."""
    s: Settings = app.state.settings
    jobs: JobManager = app.state.jobs
    budget = app.state.budget

    @app.post("/api/runs", tags=["runs"], status_code=202, summary="Start a run (returns its job)",
              responses={413: {"description": "the run is too large for this server (objects x trials), "
                                              "or the request body is over the cap"}})
    def start(req: RunRequest) -> dict:
        if not jobs.can_run:
            raise HTTPException(503, "this server was started without a runner: it shows stored runs only")
        path = listing.run_input(s.scenarios_dir, s.data_dir, req.scenario, req.architecture,
                                   req.threat_set, req.missiles)
        try:
            _check_cost(s, budget, path, req.trials)
        except HTTPException:
            if listing.inside(path, Path(s.data_dir) / "scenarios") and not listing.inside(path, s.scenarios_dir):
                path.unlink(missing_ok=True)  # the variant written for this request only
            raise
        try:
            job = jobs.submit(str(path), req.model_dump())
        except OverflowError as exc:
            raise HTTPException(429, str(exc)) from None
        return {**job.view(), "job_url": f"/api/jobs/{job.id}"}

    @app.get("/api/jobs", tags=["runs"], summary="Runs started from this server, newest first")
    def all_jobs() -> dict:
        return {"jobs": [j.view() for j in jobs.all()]}

    @app.get("/api/jobs/{job_id}", tags=["runs"], summary="A started run: state, progress, run id when done")
    def job(job_id: str = PathParam(pattern=r"^j[0-9a-f]{12}$")) -> dict:
        found = jobs.get(job_id)
        if found is None:
            raise HTTPException(404, f"job {job_id!r}: no such job on this server")
        return found.view()


def _check_cost(s: Settings, budget: Callable[..., None] | None, path: Path, trials: int | None) -> None:
    """413 when the run's objects (estimated from the catalog, decoys included) x trials pass the
    server's limit or ``budget`` refuses it; nothing is queued then."""
    sc = listing.job_scenario(path, trials)
    objects = objects_of(sc)
    cost = objects * int(sc.trials)
    if cost > s.max_object_trials:
        raise HTTPException(413, f"this run is too large for this server: ~{objects:,} objects (RVs and decoys) x "
                                 f"{sc.trials:,} trials = {cost:,} object-trials; the limit is "
                                 f"{s.max_object_trials:,} (goldendome serve --max-object-trials): "
                                 "fewer trials or a smaller raid")
    if budget is not None:
        try:
            budget(sc)
        except InputError as exc:
            raise HTTPException(413, str(exc).splitlines()[0]) from None
