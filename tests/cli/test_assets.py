"""`goldendome priorities` and `goldendome site` as a user meets them: JSON, tables, bad input."""

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from goldendome.cli.assets import register

# cli.main(): one error line, exit 2 (it registers the asset commands itself).
MAIN = "from goldendome.cli import main; main()"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def invoke(*args):
    return CliRunner().invoke(_app(), list(args))


def main(*args):
    """The real entry point in a fresh process (stdout at the file-descriptor level)."""
    return subprocess.run([sys.executable, "-c", MAIN, *args], capture_output=True, text=True, timeout=300)


def main_here(monkeypatch, capsys, *args):
    """cli.main() in this process: (exit code, stdout, stderr)."""
    import goldendome.cli as c

    monkeypatch.setattr(sys, "argv", ["goldendome", *args])
    with pytest.raises(SystemExit) as exc:
        c.main()
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_priorities_json_changes_with_weights_and_explains():
    cv = json.loads(invoke("priorities", "--weights", "countervalue=1", "--top", "3", "--json").output)
    ss = json.loads(invoke("priorities", "--weights", "second-strike=2,countervalue=1", "--top", "3", "--json").output)
    assert cv["priorities"][0]["name"] == "New York City, NY" and "countervalue 1.00 x 1.00" in cv["priorities"][0]["reason"]
    assert ss["priorities"][0]["category"] == "second-strike"
    assert ss["weights"]["second-strike"] == 2 / 3 and ss["weights"]["countervalue"] == 1 / 3
    assert [r["id"] for r in cv["priorities"]] != [r["id"] for r in ss["priorities"]]
    assert "GeoNames" in cv["credit"] and len(cv["priorities"]) == 3


def test_priorities_table_names_reason_and_credit():
    r = invoke("priorities", "--top", "5")
    assert r.exit_code == 0, r.output
    assert "rank" in r.output and "second-strike" in r.output and "GeoNames" in r.output


def test_site_json_and_table():
    out = json.loads(invoke("site", "--budget-usd", "3e9", "--types", "thaad", "--json").output)
    assert out["spent_usd"] <= 3e9 and out["batteries"] and all(b["type"] == "thaad" for b in out["batteries"])
    r = invoke("site", "--budget-usd", "3e9")
    assert r.exit_code == 0 and "batteries for us-homeland" in r.output


@pytest.mark.parametrize("args, word", [
    (("priorities", "--weights", "countervalue=-1"), ">= 0"),
    (("priorities", "--weights", "countervalue=0,infrastructure=0"), "all zero"),
    (("priorities", "--weights", "beauty=1"), "unknown weight"),
    (("priorities", "--weights", "countervalue"), "NAME=NUMBER"),
    (("site", "--budget-usd", "1e9", "--types", "railgun"), "unknown battery type 'railgun'"),
    (("site", "--budget-usd", "0"), "positive"),
], ids=["negative", "all-zero", "unknown", "no-number", "bad-type", "zero-budget"])
def test_bad_input_exit_2_with_one_line(monkeypatch, capsys, args, word):
    code, out, err = main_here(monkeypatch, capsys, *args)
    lines = err.strip().splitlines()
    assert code == 2 and out == ""
    assert len(lines) == 1 and lines[0].startswith("goldendome: error:") and word in lines[0]


def test_real_entry_point_exit_2_and_clean_json():
    p = main("priorities", "--weights", "countervalue=-1,second-strike=1")
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and ">= 0" in p.stderr
    p = main("site", "--budget-usd", "3e9", "--json")
    assert p.returncode == 0, p.stderr
    json.loads(p.stdout)  # no solver banner on stdout
