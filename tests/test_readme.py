"""The README stays true: every command it shows exists with the options it uses."""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goldendome.cli import app

README = Path(__file__).parents[1] / "README.md"
LINES = [ln.split("  #")[0].split(" && ")[0].strip() for ln in README.read_text().splitlines()
         if ln.startswith("goldendome ")]


def _command(argv: list[str]) -> list[str]:
    """The command path of a README line (group and sub-command, without arguments)."""
    words = [w for w in argv[1:] if not w.startswith("-")]
    return words[:2] if words and words[0] in ("sbi", "runs") else words[:1]


@pytest.mark.parametrize("line", LINES, ids=[ln[:40] for ln in LINES])
def test_readme_command_exists_with_its_options(line):
    argv = shlex.split(line)
    cmd = _command(argv)
    r = CliRunner().invoke(app, cmd + ["--help"])
    assert r.exit_code == 0, r.output
    for opt in re.findall(r"(--[a-z][a-z0-9-]*)", line):
        assert opt in r.output, f"{line}: {opt} is not an option of {' '.join(cmd)}"


def test_readme_names_the_two_setup_commands():
    text = README.read_text()
    assert "make demo" in text[:1500] and "make test" in text[:1500] and "docs/report.png" in text
    assert Path(README.parent / "docs" / "report.png").is_file()


def test_readme_python_runs():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks
    for code in blocks:
        scope: dict = {}
        exec(compile(code, str(README), "exec"), scope)  # noqa: S102 - the README's own example
    assert scope["row"]["miss_km"] < 1.0 and scope["in_boost"].any() and scope["medium_usd"] > 1e11
