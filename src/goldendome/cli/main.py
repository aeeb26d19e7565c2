"""Command line: `goldendome COMMAND`; every command takes --json and then prints one JSON object.

Each command family lives in its own module of this package, on top of :mod:`goldendome.app`;
:func:`build` registers them all explicitly (an import error fails loudly, never a missing command).
"""

from __future__ import annotations

import sys

import typer

from .._version import __version__
from ..errors import InputError
from . import assets, catalog, cost, fly, plan, report, run, space, sweep, validate, web
from .console import fail_line

FAMILIES = (fly, catalog, run, space, cost, assets, sweep, plan, report, validate, web)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"goldendome {__version__}")
        raise typer.Exit()


def build() -> typer.Typer:
    """The `goldendome` app with every command family registered."""
    app = typer.Typer(add_completion=False, no_args_is_help=True,
                      help="goldendome: physics-based trade studies for a layered missile shield.")

    @app.callback()
    def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                           help="print the version and exit")) -> None:
        """goldendome: physics-based trade studies for a layered missile shield."""

    for family in FAMILIES:
        family.register(app)
    return app


app = build()


def main() -> None:
    """Entry point: bad input exits 2 with one line on stderr, never a traceback."""
    try:
        rc = app(standalone_mode=False)
    except InputError as exc:
        fail_line(str(exc))
    except Exception as exc:  # click's usage errors (typer may vendor click): exit_code 2 + a message
        if getattr(exc, "exit_code", None) != 2 or not hasattr(exc, "format_message"):
            raise
        msg = " ".join(exc.format_message().split())
        if not msg:  # bare `goldendome`: the help was printed
            sys.exit(0)
        fail_line(msg)
    sys.exit(rc if isinstance(rc, int) else 0)


