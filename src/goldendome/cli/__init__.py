"""The `goldendome` command line (one module per command family, on top of goldendome.app)."""

from .main import app, main

__all__ = ["app", "main"]
