"""Discrimination confidence: rises with observation time, X-band above UHF, fuses sensors;
catalog/discrimination.yaml sources resolve."""

from pathlib import Path

import numpy as np
import yaml

import goldendome
from goldendome.tracking import discrimination as disc

CAT = Path(goldendome.__file__).parent / "catalog"
TABLE = yaml.safe_load((CAT / "discrimination.yaml").read_text())["sensors"]
REFS = yaml.safe_load((CAT / "references_tracking.yaml").read_text())


def test_catalog_entries_are_sourced_and_bounded():
    for key, e in TABLE.items():
        assert 0.5 <= e["p_max"] < 1.0 and e["tau_s"] > 0, key
        cited = e["source"].split("|")[0]
        assert "derived" in e["source"], key
        for ref in (r.strip() for r in cited.split(",")):
            assert ref in REFS, f"{key}: {ref} not in references_tracking.yaml"


def test_confidence_rises_with_time_and_xband_beats_uhf():
    p, tau = disc.sensor_tables(["tpy2", "uewr"], TABLE)
    t = np.array([0.0, 30.0, 100.0, 300.0, 1000.0])
    obs = np.zeros((len(t), 1, 2))
    obs_x, obs_u = obs.copy(), obs.copy()
    obs_x[:, 0, 0] = t
    obs_u[:, 0, 1] = t
    cx = disc.confidence(obs_x, p, tau, is_rv=[True])[:, 0]
    cu = disc.confidence(obs_u, p, tau, is_rv=[True])[:, 0]
    assert cx[0] == 0.5 and np.all(np.diff(cx) > 0) and np.all(np.diff(cu) > 0)
    assert np.all(cx[1:] > cu[1:])
    assert cx[-1] > 0.9 and cu[-1] < 0.7
    decoy = disc.confidence(obs_x, p, tau, is_rv=[False])[:, 0]
    assert np.all(np.diff(decoy) < 0)  # a decoy's RV-probability falls


def test_sensors_fuse_as_independent_evidence():
    p, tau = disc.sensor_tables(["tpy2", "uewr", "tracking-leo", "unknown"], TABLE)
    obs = np.full((1, 4), 600.0)
    both = disc.confidence(obs, p, tau, [True])[0]
    only_x = disc.confidence(obs * [1, 0, 0, 0], p, tau, [True])[0]
    assert both > only_x
    pc = disc.p_correct(600.0, p[:3], tau[:3])
    logit = np.sum(np.log(pc / (1 - pc)))
    assert np.isclose(both, 1 / (1 + np.exp(-logit)))


def test_observation_time_from_tracker_seen_times():
    first = np.array([[100.0, np.nan]])
    last = np.array([[400.0, np.nan]])
    assert np.allclose(disc.observation_time(first, last, 250.0), [[150.0, 0.0]])
    assert np.allclose(disc.observation_time(first, last, 900.0), [[300.0, 0.0]])
    assert np.allclose(disc.observation_time(first, last, 50.0), [[0.0, 0.0]])
