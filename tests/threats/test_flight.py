"""Threat flight physics against closed forms, invariants and the catalog's reach."""

import math

import numpy as np
import pytest

from goldendome.app import fly as app_fly
from goldendome.scenario import threats as scen_threats
from goldendome.physics import earth, kepler
from goldendome.physics.constants import MU_EARTH
from goldendome.scenario import catalog
from goldendome.threats import batch as B
from goldendome.threats import flight

R = 6371.0e3  # m, the textbook sphere
VACUUM = flight.FlightModel(j2=False, drag=False, sphere_radius=R)


def _coast(ranges_m, model=VACUUM, t_max=7200.0, out=False):
    """Fly min-energy burnout states from the sphere's surface, non-rotating, in vacuum."""
    psi = np.asarray(ranges_m) / R
    speed, gamma, _, _ = kepler.min_energy(psi, r=R)
    n = len(psi)
    r0 = np.column_stack([np.full(n, R), np.zeros(n), np.zeros(n)])
    v0 = np.column_stack([speed * np.sin(gamma), speed * np.cos(gamma), np.zeros(n)])
    y0 = np.column_stack([r0, v0, np.full(n, 500.0)])
    m = catalog.missile("icbm-solid")
    b = B.build_batch([B.Launch(m, 0.0, 0.0, 0.0, 0.1)] * n, np.random.default_rng(0))
    rec = flight.fly(b, t_max=t_max, model=model, y0=y0, phase0=np.full(n, flight.BALLISTIC),
                     dt_out=5.0, t_out_end=t_max if out else None)
    return rec, y0


@pytest.mark.parametrize("range_km", [1000.0, 3000.0, 5000.0, 10000.0])
def test_min_energy_flight_matches_closed_form(range_km):
    rec, _ = _coast([range_km * 1e3])
    _, _, apogee, tof = kepler.min_energy(range_km * 1e3 / R, r=R)
    ev = rec.ev
    flown = R * np.arctan2(ev["r_end"][0, 1], ev["r_end"][0, 0])
    assert flown == pytest.approx(range_km * 1e3, rel=5e-3)
    assert ev["apogee_alt"][0] == pytest.approx(apogee, rel=5e-3)
    assert ev["t_end"][0] == pytest.approx(tof, rel=5e-3)


def test_ten_thousand_km_published_figures():
    """Burnout 7.198 km/s, apogee 1,319 km, coast 32.2 min (DESIGN.md, Wheelon 1959)."""
    rec, y0 = _coast([10000e3])
    assert np.linalg.norm(y0[0, 3:6]) == pytest.approx(7198.0, rel=5e-3)
    assert rec.ev["apogee_alt"][0] / 1e3 == pytest.approx(1319.0, rel=5e-3)
    assert rec.ev["t_end"][0] / 60.0 == pytest.approx(32.2, rel=5e-3)


@pytest.mark.parametrize("j2", [False, True], ids=["point-mass", "j2"])
def test_energy_conserved_in_vacuum_coast(j2):
    from goldendome.physics import gravity

    rec, _ = _coast([3000e3, 8000e3], model=flight.FlightModel(j2=j2, drag=False, sphere_radius=R), out=True)
    pot = gravity.potential_j2 if j2 else (lambda r: -MU_EARTH / np.linalg.norm(r, axis=-1))
    for y in rec.state:
        y = y[np.all(np.isfinite(y), axis=1)]
        energy = 0.5 * np.sum(y[:, 3:6] ** 2, axis=-1) + pot(y[:, :3])
        # samples are Hermite-interpolated between RK4 steps of up to 10 s: 1e-8 bounds both
        assert len(y) > 100 and np.max(np.abs(energy / energy[0] - 1.0)) < 1e-8


@pytest.fixture(scope="module")
def catalog_raid():
    """Every catalog missile fired at 60 % of its published range, all in one raid."""
    salvos = []
    for mid in catalog.missile_ids():
        m = catalog.missile(mid)
        lat, lon = earth.destination(math.radians(40.0), math.radians(125.0), math.radians(60.0), 0.6 * m.range_km * 1e3)
        salvos.append(scen_threats.salvo(mid, "40.0,125.0", f"{math.degrees(lat):.5f},{math.degrees(lon):.5f}",
                                decoys=2 if m.decoys else 0))
    return scen_threats.fly_salvos(salvos, seed=3, dt_out=2.0)


def test_every_catalog_missile_lands_within_1_km(catalog_raid):
    rows = app_fly.summary(catalog_raid)
    assert [r["missile"] for r in rows] == catalog.missile_ids()
    for r in rows:
        assert r["end"] == "impact", r
        assert r["miss_km"] < 1.0, r


def test_events_in_order_and_decoys_filtered(catalog_raid):
    o = catalog_raid.objects
    bal = (o["kind"] == "rv") & np.isfinite(o["t_reentry"])
    for k1, k2 in [("t_launch", "t_burnout"), ("t_burnout", "t_deploy"), ("t_deploy", "t_apogee"),
                   ("t_apogee", "t_reentry"), ("t_reentry", "t_end")]:
        assert np.all(o[k1][bal] <= o[k2][bal]), (k1, k2)
    assert set(o["end"][o["kind"] == "decoy"]) == {"filtered"}


def test_states_nan_outside_flight_and_finite_inside(catalog_raid):
    tr = catalog_raid
    o = tr.objects
    for i in range(tr.n):
        live = (tr.t >= o["t_launch"][i]) & (tr.t <= o["t_end"][i])
        assert np.all(np.isfinite(tr.state[i, live])) and np.all(np.isnan(tr.state[i, ~live]))


def test_apogee_grows_with_loft():
    shapes = [("depressed", None), ("min-energy", None), ("lofted", None), ("lofted", 3000.0)]
    salvos = [scen_threats.salvo("icbm-solid", "sohae", "anchorage", shape=s, apogee_km=a) for s, a in shapes]
    rows = app_fly.summary(scen_threats.fly_salvos(salvos, seed=1))
    apogees = [r["apogee_km"] for r in rows]
    assert apogees == sorted(apogees) and apogees[-1] == pytest.approx(3000.0, rel=0.02)
    assert all(r["miss_km"] < 1.0 for r in rows)


def test_cruise_flight_time_is_distance_over_speed():
    row = app_fly.fly("cruise-subsonic", "40.0,-130.0", "40.0,-125.0")
    cr = catalog.missile("cruise-subsonic").cruise
    d = earth.great_circle_distance(*np.radians([40.0, -130.0, 40.0, -125.0]))
    assert row["flight_time_s"] == pytest.approx(cr.booster_s / 2 + d / cr.speed_m_s, abs=1.0)
    assert row["miss_km"] < 0.01


def test_same_seed_same_bytes():
    s = [scen_threats.salvo("icbm-solid", "kp-pyongyang", "seattle", count=2, decoys=2, spacing_s=5)]
    a, b = scen_threats.fly_salvos(s, seed=11), scen_threats.fly_salvos(s, seed=11)
    assert a.state.tobytes() == b.state.tobytes()


@pytest.mark.parametrize("crossrange_km", [150.0, -150.0])
def test_glider_cross_range_manoeuvre_swings_and_still_hits(crossrange_km):
    tr = scen_threats.fly_salvos([scen_threats.salvo("hgv-intercontinental", "ru-dombarovsky", "fort-greely", crossrange_km=crossrange_km)])
    pos = tr.positions_ecef()[0]
    lat, lon, _ = earth.ecef_to_geodetic(pos[np.all(np.isfinite(pos), axis=1)])
    az = earth.initial_azimuth(lat[0], lon[0], lat[-1], lon[-1])
    d = earth.great_circle_distance(lat[0], lon[0], lat, lon) / earth.R_MEAN
    cross = np.arcsin(np.sin(d) * np.sin(earth.initial_azimuth(lat[0], lon[0], lat, lon) - az)) * earth.R_MEAN / 1e3
    swing = cross.max() if crossrange_km > 0 else -cross.min()
    assert swing == pytest.approx(abs(crossrange_km), rel=0.1)
    assert app_fly.summary(tr)[0]["miss_km"] < 1.0
