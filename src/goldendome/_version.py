"""The package version: pyproject.toml reads it, the store records it with every run.

Bumped whenever behaviour changes (CHANGELOG.md says what changed).
"""

__version__ = "0.4.0"
