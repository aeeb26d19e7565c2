"""Every option of every command says what it is (issue 15 item 8): no bare `--json`."""

import typer

from goldendome.cli import app


def _commands(cmd, path=()):
    """(path, command) of every leaf command (typer may vendor click: duck-typed)."""
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, path + (name,))
    else:
        yield path, cmd


def test_every_option_has_help():
    options = [(path, p) for path, cmd in _commands(typer.main.get_command(app)) for p in cmd.params
               if p.param_type_name == "option" and not p.hidden and p.opts[0] not in ("--help", "--version")]
    bare = [f"{' '.join(path)} {p.opts[0]}" for path, p in options if not (p.help or "").strip()]
    assert len(options) > 80 and bare == []
