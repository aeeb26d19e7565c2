"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright (pip).

``browser`` is one Chromium for the whole session; ``watch(page)`` records a page's console
errors, uncaught exceptions and every request that would leave the machine (any URL that is
not file:, data:, blob:, about: or http(s)/ws(s) to 127.0.0.1).

The tests skip when /usr/bin/chromium is missing, unless GOLDENDOME_REQUIRE_BROWSER is set
(``make test`` sets it), in which case they fail: CI must not pass by skipping them.
"""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's) for the session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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


@pytest.fixture
def new_page(browser):
    """Factory: a fresh page (own context, 1280x900) and its Watch; closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(ctx)
        page = ctx.new_page()
        return page, watch(page)

    yield make
    for ctx in contexts:
        ctx.close()
