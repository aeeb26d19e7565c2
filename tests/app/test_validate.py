"""`goldendome validate`: the quick cases pass in CI time, a case out of tolerance fails the command,
calibration is reported as calibration, a missing oracle is skipped, the report is written."""

import dataclasses
import json
import subprocess
import sys

from goldendome.app import validate as app_validate
from goldendome.app.validation_cases import CASES

CLI = [sys.executable, "-c", "from goldendome.cli import main; main()"]


def test_quick_cases_pass_and_say_what_they_compare(tmp_path):
    p = subprocess.run(CLI + ["validate", "--quick", "--json", "--report", str(tmp_path / "vv.md")],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["ok"] and out["wall_s"] < 120
    assert out["counts"]["fail"] == 0 and out["counts"]["pass"] >= 10
    for row in out["cases"]:
        assert row["source"] and row["unit"] and row["tolerance"] is not None
        assert row["verdict"] in ("pass", "reproduced", "skipped")
    assert {r["id"]: r["verdict"] for r in out["cases"]}["aps-sbi-1600"] == "reproduced"  # calibration, not validation
    text = (tmp_path / "vv.md").read_text()
    for head in ("Intended use", "Referents", "Cases and results", "Calibration (not validation)", "Limitations"):
        assert head in text


def test_a_case_out_of_tolerance_fails_and_a_missing_oracle_is_skipped():
    wrong = dataclasses.replace(CASES[0], expected=CASES[0].expected * 1.5)
    absent = dataclasses.replace(CASES[0], id="needs-nothing-here", needs="no_such_oracle_package")
    out = app_validate.validate(cases=(wrong, absent))
    assert not out["ok"] and [r["verdict"] for r in out["cases"]] == ["fail", "skipped"]
    assert out["cases"][0]["error"] < 0  # measured below the (wrong) expectation


def test_the_command_exits_1_on_a_failure(monkeypatch):
    import pytest
    import typer

    from goldendome.cli import validate as cli_validate

    monkeypatch.setattr(app_validate, "validate", lambda quick: {"cases": [], "counts": {}, "ok": False, "wall_s": 0})
    with pytest.raises(typer.Exit) as exc:
        cli_validate.validate(quick=True, report=None, as_json=True)
    assert exc.value.exit_code == 1


def test_an_unwritable_report_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    p = subprocess.run(CLI + ["validate", "--quick", "--report", str(blocker / "vv.md")],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "cannot write" in p.stderr, p.stderr
