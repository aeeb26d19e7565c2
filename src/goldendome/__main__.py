"""``python -m goldendome``: the command line."""

from .cli import main

main()
