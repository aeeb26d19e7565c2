"""Headless Chromium for browser tests (tests/browser, tests/web): Debian's /usr/bin/chromium
driven by playwright (pip).

``browser`` is one Chromium for the whole session, on a thread of its own: playwright's sync
API keeps an asyncio loop marked running on the thread that started it, which would break
``asyncio.run`` (and anything built on it) in every later test of the process. So a test
hands the browser work to that thread: ``browser.run(fn, *args)`` calls ``fn(chromium, *args)``
there and returns its result (plain data; playwright objects stay on that thread); calling
``browser(fn)`` is the same as ``browser.run(fn)``.
``browser.visit(chromium, url, ...)`` opens a page in a fresh context and ``browser.watch(page)`` records its
console errors, uncaught exceptions and every request that would leave the machine (any URL
that is not file:, data:, blob:, about: or http(s)/ws(s) to 127.0.0.1).

The tests skip when /usr/bin/chromium is missing, unless GOLDENDOME_REQUIRE_BROWSER is set
(``make test`` sets it), in which case they fail: CI must not pass by skipping them.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
LOOPBACK_SCHEMES = {"http", "https", "ws", "wss"}


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine (file:, data:, blob:, about:, 127.0.0.1)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in LOOPBACK_SCHEMES and parts.hostname == "127.0.0.1"


def _unavailable(reason: str) -> None:
    if os.environ.get("GOLDENDOME_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} and GOLDENDOME_REQUIRE_BROWSER is set (install it: apt-get install -y chromium)")
    pytest.skip(reason)


@dataclass
class Watch:
    """What a page did: console errors, page errors and requests that leave the machine."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that should not have happened, one line each."""
        return ([f"console error: {m}" for m in self.console_errors] + [f"page error: {m}" for m in self.page_errors]
                + [f"outside request: {u}" for u in self.outside_requests])


def watch(page) -> Watch:
    """Start recording a page's console errors, page errors and outside requests."""
    w = Watch()

    def on_request(request):
        w.requests.append(request.url)
        if not is_local(request.url):
            w.outside_requests.append(request.url)

    page.on("console", lambda msg: w.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: w.page_errors.append(str(exc)))
    page.on("request", on_request)
    return w


def visit(chromium, url: str, ready_js: str | None = None, width: int = 1280, height: int = 900,
          timeout_ms: int = 30_000):
    """Open ``url`` in a fresh context (call on the browser thread); wait for ``ready_js`` to be true.

    Returns
    -------
    (context, page, Watch)
        Close the context when done.
    """
    ctx = chromium.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    w = watch(page)
    page.goto(url)
    if ready_js:
        page.wait_for_function(ready_js, timeout=timeout_ms)
    return ctx, page, w


class BrowserThread:
    """One headless Chromium owned by one worker thread; ``run`` executes work on that thread."""

    visit = staticmethod(visit)  # for work sent to ``run``: fixtures cannot reach the conftest module
    watch = staticmethod(watch)

    def __init__(self):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._pw = self.chromium = None
        self._pool.submit(self._start).result()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.chromium = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

    def run(self, fn, *args, **kwargs):
        """``fn(chromium, *args, **kwargs)`` on the browser's thread; its result or its exception."""
        return self._pool.submit(fn, self.chromium, *args, **kwargs).result()

    __call__ = run

    def close(self) -> None:
        """Close Chromium and stop playwright (on their thread), then the thread."""
        def stop():
            self.chromium.close()
            self._pw.stop()
        self._pool.submit(stop).result()
        self._pool.shutdown()


@pytest.fixture(scope="session")
def browser():
    """The session's headless Chromium (Debian's), as a BrowserThread."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed")
    owner = BrowserThread()
    yield owner
    owner.close()
