"""Lazy imports for the command line: `goldendome --help`, `--version` and a refused flag do not
load numpy's, scipy's and numba's compiled stacks (seconds) for commands that are not run.

``app_run = lazy("goldendome.app.run")`` is a stand-in whose first attribute access imports the
module. The constants option defaults and help texts need are in :mod:`.defaults` (a test
checks they equal their sources).
"""

from __future__ import annotations

import importlib
from types import ModuleType


class _Lazy:
    """A module imported on first attribute access."""

    def __init__(self, name: str):
        self._name, self._module = name, None

    def _load(self) -> ModuleType:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return self._module

    def __getattr__(self, attr: str):
        return getattr(self._load(), attr)


def lazy(name: str) -> _Lazy:
    """A stand-in for module ``name``, imported when first used."""
    return _Lazy(name)
