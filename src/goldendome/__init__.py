"""goldendome: physics-based simulation and trade studies for a layered homeland missile shield.

The Python API is one module per use case in :mod:`goldendome.app` (plain data out)::

    >>> from goldendome.app import fly
    >>> fly.fly("icbm-solid", "sohae", "seattle")["miss_km"] < 1.0
    True

The command line (``goldendome``) is :mod:`goldendome.cli`; docs/architecture.md maps the packages.
"""

from ._version import __version__

__all__ = ["__version__"]
