"""Errors the user can fix: the command line prints their one-line message and exits 2."""


class InputError(ValueError):
    """Bad input (a file, a field, a value): the message is one line naming what is wrong."""
