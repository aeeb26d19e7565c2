"""Fuzz: hostile values in every numeric field of a scenario give a one-line InputError (or load),
never another exception, before anything is flown.

A few hundred generated cases run in `make test`; set GOLDENDOME_FUZZ_EXAMPLES for a longer run.
"""

import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldendome.app import run as app_run
from goldendome.errors import InputError
from goldendome.scenario import build, load
from goldendome.scenario.effectors import batteries

BASE = {
    "schema": "goldendome/v1", "name": "fuzz", "seed": 1, "trials": 10,
    "threats": [{"missile": "icbm-solid", "launch": "sohae", "target": "seattle", "count": 2, "spacing_s": 10,
                 "decoys": 1, "t0_s": 0.0, "crossrange_km": 0.0}],
    "architecture": {
        "sensors": [{"kind": "space-ir", "type": "opir-geo", "latency_s": 5},
                    {"kind": "radar", "type": "uewr", "site": "64.30,-149.19", "latency_s": 1}],
        "effectors": [{"kind": "site", "type": "gbi", "site": "fort-greely", "inventory": 4},
                      {"kind": "sbi", "count": 400, "altitude_km": 300, "inclination_deg": 45, "planes": 20,
                       "step_s": 20},
                      {"kind": "battery", "type": "thaad", "site": "seattle", "inventory": 48}],
        "c2": {"latency_s": 10, "doctrine": "shoot-look-shoot", "max_shots_per_threat": 4}},
    "assets": [{"id": "seattle", "lat": 47.61, "lon": -122.33, "value": 1.0}],
}
PATHS = [("seed",), ("trials",), ("threats", 0, "count"), ("threats", 0, "spacing_s"), ("threats", 0, "decoys"),
         ("threats", 0, "t0_s"), ("threats", 0, "crossrange_km"), ("threats", 0, "apogee_km"),
         ("architecture", "sensors", 0, "latency_s"), ("architecture", "sensors", 1, "latency_s"),
         ("architecture", "sensors", 1, "revisit_s"), ("architecture", "effectors", 0, "inventory"),
         ("architecture", "effectors", 0, "rounds"), ("architecture", "effectors", 1, "count"),
         ("architecture", "effectors", 1, "altitude_km"), ("architecture", "effectors", 1, "inclination_deg"),
         ("architecture", "effectors", 1, "planes"), ("architecture", "effectors", 1, "step_s"),
         ("architecture", "effectors", 2, "inventory"), ("architecture", "effectors", 2, "pk"),
         ("architecture", "c2", "latency_s"), ("architecture", "c2", "max_shots_per_threat"),
         ("assets", 0, "value"), ("assets", 0, "lat")]
HOSTILE = st.sampled_from([float("nan"), float("inf"), float("-inf"), -1, -1e-9, 0, 0.5, 1e30, 2**70, "fast",
                           [1, 2], None, True, {"a": 1}, ""])


def _set(doc, path, value):
    node = doc
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value


@settings(max_examples=int(os.environ.get("GOLDENDOME_FUZZ_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(PATHS), HOSTILE), min_size=1, max_size=3))
def test_hostile_numbers_are_one_line_input_errors(edits, tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(BASE))
    for path, value in edits:
        _set(doc, path, value)
    p = tmp_path / "fuzz.yaml"
    p.write_text(yaml.safe_dump(doc))
    try:
        sc = load.load(p)
        app_run.check_budget(sc)
        build.salvos(sc)
        batteries(sc)
        for i, spec in enumerate(s for s in sc.architecture.sensors if s.kind == "radar"):
            build.radar_of(spec, i)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc), repr(exc)
