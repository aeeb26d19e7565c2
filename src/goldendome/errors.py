"""Every user-facing exception: the command line prints the one-line message and exits 2,
the web API answers 400 (404 for :class:`NotFound`).

The base of the stack: every package may import this module; it imports nothing.
"""


class InputError(ValueError):
    """Bad input (a file, a field, a value): the message is one line naming what is wrong."""


class CatalogError(InputError):
    """Bad input naming a catalog entry or a place."""


class ScenarioError(InputError):
    """A scenario file that cannot be read or does not validate (the message names file, line and field)."""


class NotFound(InputError):
    """The thing named (scenario, preset, threat set, run, job) does not exist: HTTP 404."""
