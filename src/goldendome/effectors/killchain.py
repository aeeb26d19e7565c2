"""The boost-phase kill chain of an SBI layer, one timeline per missile, used by `run` and `sbi size`.

Launch -> first detection -> firm track -> fire-control-quality track for the SBI -> decision and
link latency -> SBI firing (commit) -> kill vehicle fly-out until the deadline (burnout, or the
release of RVs and decoys). The SBI's reach is what it can fly in ``deadline - commit``
(:func:`goldendome.space.sbi.reach_m`).

``run`` takes the timeline from its sensors and tracker (:func:`from_tracks`);
``sbi size`` from the same when given a scenario, else from the catalog's ``delay_s``
(:func:`assumed`), a calibration that reproduces APS 2003's 1,600 SBIs, not a measured chain.

Notes
-----
A missile's time is the earliest over its objects (in boost they ride one booster). Times are
absolute seconds from scenario start; :meth:`KillChain.rows` gives them after launch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..space import sbi as sbi_mod


@dataclass(frozen=True)
class KillChain:
    """Per missile (M,), absolute s; NaN where a step never happens or is not modelled."""
    lead: np.ndarray           # object index of each missile's first object
    t_launch: np.ndarray
    detect: np.ndarray         # first detection by any sensor
    firm: np.ndarray           # first firm (confirmed) track
    fire_control: np.ndarray   # first fire-control-quality track for the SBI
    commit: np.ndarray         # SBI firing: fire control + latency (or launch + delay_s)
    deadline: np.ndarray       # burnout or deploy
    latency_s: float
    source: str                # 'tracks' (sensors and tracker) or 'assumed' (the catalog's delay_s)

    @property
    def delay_s(self) -> np.ndarray:
        """Launch to SBI firing, s (M,)."""
        return self.commit - self.t_launch

    @property
    def too_slow(self) -> np.ndarray:
        """(M,) bool: no firing before the deadline (never tracked, or tracked too late)."""
        with np.errstate(invalid="ignore"):
            return ~(self.commit < self.deadline)

    def rows(self, names=None) -> list[dict]:
        """One dict per missile, times in s after its launch (None where NaN)."""
        rel = lambda a, k: None if not np.isfinite(a[k]) else round(float(a[k] - self.t_launch[k]), 1)  # noqa: E731
        out = []
        for k in range(len(self.lead)):
            out.append({"missile": None if names is None else str(names[k]), "detect_s": rel(self.detect, k),
                        "firm_track_s": rel(self.firm, k), "fire_control_s": rel(self.fire_control, k),
                        "latency_s": self.latency_s, "commit_s": rel(self.commit, k), "deadline_s": rel(self.deadline, k),
                        "time_available_s": None if self.too_slow[k] else round(float(self.deadline[k] - self.commit[k]), 1),
                        "too_slow": bool(self.too_slow[k])})
        return out


def _per_missile(traj, per_object) -> np.ndarray:
    """Earliest of each missile's objects (M,), from an (N,) array; NaN where none."""
    missile = np.asarray(traj.objects["missile"])
    m_of = np.searchsorted(np.unique(missile), missile)
    out = np.full(int(m_of.max(initial=-1)) + 1, np.nan)
    if per_object is not None:
        np.fmin.at(out, m_of, np.asarray(per_object, float))
    return out


def from_tracks(traj, fire_control_sbi, latency_s: float, interceptor, detect=None, firm=None) -> KillChain:
    """The chain of each missile from per-object times (N,): SBI fire control (required), first
    detection and firm track (optional, for the statement), plus the C2 latency."""
    lead, _, deadline = sbi_mod.boost_windows(traj, interceptor)
    fc = _per_missile(traj, fire_control_sbi)
    return KillChain(lead=lead, t_launch=np.asarray(traj.objects["t_launch"], float)[lead],
                     detect=_per_missile(traj, detect), firm=_per_missile(traj, firm), fire_control=fc,
                     commit=fc + float(latency_s), deadline=deadline, latency_s=float(latency_s), source="tracks")


def assumed(traj, interceptor) -> KillChain:
    """The chain with the firing at the interceptor's ``delay_s`` after launch (no sensors flown)."""
    lead, commit, deadline = sbi_mod.boost_windows(traj, interceptor)
    nan = np.full(len(lead), np.nan)
    return KillChain(lead=lead, t_launch=np.asarray(traj.objects["t_launch"], float)[lead], detect=nan, firm=nan,
                     fire_control=nan, commit=commit, deadline=deadline, latency_s=0.0, source="assumed")
