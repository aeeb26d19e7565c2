"""The fast sensor paths give exactly the detections of the dense (sensor x object x time) ones."""

from __future__ import annotations

import numpy as np
import pytest

from goldendome.scenario import space as scenario_space
from goldendome.scenario.radars import radar_from_entry
from goldendome.physics import earth
from goldendome.sensors import ir_observe, radar, space_ir
from goldendome.space.propagate import propagate

FIELDS = ("t", "arrival", "sensor", "z", "R", "snr", "truth")


@pytest.fixture(scope="module")
def salvo():
    from goldendome.scenario import threats as scen_threats
    return scen_threats.fly_salvos([scen_threats.salvo("icbm-solid", "sohae", "seattle", count=2, decoys=2)], seed=0, dt_out=1.0)


def _same(a, b):
    return len(a) == len(b) and all(np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True) for f in FIELDS)


def _dense_ir(rules, pos, traj, gen, sigma):
    """The dense reference: (S, N, T) masks, then the two nearest seeing satellites."""
    seen = space_ir.detect(rules, pos, traj.state, traj.phase, traj.objects["kind"])
    seen &= ir_observe._revisit_mask(rules, traj.t)[:, None, :]
    seen &= ir_observe._first_of_colocated(traj)[None]
    rng_m = np.where(seen, np.linalg.norm(pos[:, None] - traj.state[None, ..., :3], axis=-1), np.inf)
    rank = np.argsort(np.argsort(rng_m, axis=0, kind="stable"), axis=0, kind="stable")
    seen &= rank < ir_observe.LOOKS_PER_REVISIT
    s, n, k = np.nonzero(seen)
    from goldendome.sensors.detections import line_of_sight_measurement
    z, _ = line_of_sight_measurement(pos[s, k], traj.state[n, k, :3], sigma, rng=gen)
    return s, n, k, z


@pytest.mark.parametrize("layer", ["opir-geo", "tracking-leo", "tracking-meo"])
def test_space_layer_matches_dense_detection(salvo, layer):
    rules, orbits = scenario_space.constellation(layer)
    pos = propagate(orbits, salvo.t)
    fast = ir_observe.observe(rules, pos, salvo, np.random.default_rng(3), 1e-5, 10, latency_s=2.0)
    s, n, k, z = _dense_ir(rules, pos, salvo, np.random.default_rng(3), 1e-5)
    assert len(fast) > 20
    assert np.array_equal(fast.sensor, s + 10) and np.array_equal(fast.truth, n)
    assert np.array_equal(fast.t, salvo.t[k]) and np.array_equal(fast.z, z)
    assert np.array_equal(fast.arrival, fast.t + 2.0)


def test_space_layer_keeps_the_two_nearest_of_many(salvo):
    rules, orbits = scenario_space.constellation("tracking-leo")
    pos = propagate(orbits, salvo.t)
    fast = ir_observe.observe(rules, pos, salvo, np.random.default_rng(0), 1e-5, 0)
    per_look = np.unique(np.stack([fast.t, fast.truth]), axis=1, return_counts=True)[1]
    assert per_look.max() == 2 and per_look.min() >= 1


@pytest.mark.parametrize("rid, site", [("lrdr", None), ("tpy2", "shariki"), ("uewr", "beale"), ("spy6", (40.0, 136.0))])
def test_radar_prefilter_changes_nothing(salvo, rid, site, monkeypatch):
    from goldendome.scenario import catalog
    r = radar_from_entry(rid, catalog.entry("radars.yaml", "radars", rid), site)
    fast = radar.observe([r], salvo, np.random.default_rng(5))

    def every_pair(radar_, traj, times, theta0):
        return np.nonzero(np.ones((traj.state.shape[0], len(times)), bool))

    monkeypatch.setattr(radar, "_candidates", every_pair)
    dense = radar.observe([r], salvo, np.random.default_rng(5))
    assert len(fast) > 0 and _same(fast, dense)


def test_radar_prefilter_is_conservative(salvo):
    from goldendome.scenario import catalog
    r = radar_from_entry("tpy2", catalog.entry("radars.yaml", "radars", "tpy2"), "shariki")
    r = radar.Radar(**{**r.__dict__, "max_range_m": 1500e3})
    times = radar.scan_times(salvo.t, 0.7)  # off the 1 s grid: interpolated samples
    n, q = np.nonzero(np.ones((salvo.state.shape[0], len(times)), bool))
    pos, _ = radar._sample(salvo, times, n, q)
    site = earth.geodetic_to_ecef(r.lat_rad, r.lon_rad, r.alt_m)
    rng_m = np.linalg.norm(earth.eci_to_ecef(pos, times[q], salvo.theta0) - site, axis=-1)
    inside = set(zip(n[rng_m <= r.max_range_m].tolist(), q[rng_m <= r.max_range_m].tolist()))
    cand = set(zip(*(a.tolist() for a in radar._candidates(r, salvo, times, salvo.theta0))))
    assert inside and inside <= cand
    assert len(cand) < len(n)  # and it does prune


def test_colocated_objects_match_the_pairwise_distances(salvo):
    x = salvo.state[..., :3]
    missile = np.asarray(salvo.objects["missile"])
    expect = np.ones(x.shape[:2], bool)
    for m in np.unique(missile):
        idx = np.flatnonzero(missile == m)
        for j, b in enumerate(idx[1:], start=1):
            expect[b] &= ~np.any(np.linalg.norm(x[idx[:j]] - x[b][None], axis=-1) < ir_observe.MERGE_M, axis=0)
    assert not expect.all() and expect[np.unique(missile, return_index=True)[1]].all()
    assert np.array_equal(ir_observe._first_of_colocated(salvo), expect)
    cols = np.arange(3, x.shape[1], 7)
    assert np.array_equal(ir_observe._first_of_colocated(salvo, cols), expect[:, cols])
