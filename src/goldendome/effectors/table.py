"""The engagement table effectors/ produces for c2/ and engine/: opportunities and effectors.

Plain frozen dataclasses of numpy arrays, SI units (seconds, USD). It lives in effectors/
because that is where it is made (data flows effectors -> c2 -> engine).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class Opportunities:
    """J engagement opportunities: effector e can shoot object n with launches in
    [launch_first, launch_last] (s), intercepting in [intercept_first, intercept_last]."""
    obj: np.ndarray          # (J,) int threat object index
    eff: np.ndarray          # (J,) int effector (battery/ship/constellation/laser) index
    layer: np.ndarray        # (J,) int Layer code (effectors.layers.Layer)
    launch_first: np.ndarray     # (J,) s
    launch_last: np.ndarray      # (J,) s
    intercept_first: np.ndarray  # (J,) s
    intercept_last: np.ndarray   # (J,) s
    fly_out_s: np.ndarray    # (J,) s typical fly-out (intercept - launch)
    pk: np.ndarray           # (J,) single-shot kill probability against a real RV/glider
    cost_usd: np.ndarray     # (J,) cost per shot
    # (J,) bool: a kill kills every object of the missile (a boost-phase shot hits the booster
    # that still carries all of them); None: none does.
    missile_kill: np.ndarray | None = None
    # (L, N) int8 Why code per layer and object before any shot (geometry and tracking: why a
    # layer has no window on an object); None: not known. Not a (J,) column.
    reach: np.ndarray | None = None

    def __len__(self) -> int:
        return int(np.shape(self.obj)[0])

    def take(self, sel) -> "Opportunities":
        """The rows ``sel`` (index or mask) of the table; ``reach`` is kept whole."""
        cols = {f.name: (None if getattr(self, f.name) is None else np.asarray(getattr(self, f.name))[sel])
                for f in fields(self) if f.name != "reach"}
        return Opportunities(**cols, reach=self.reach)


@dataclass(frozen=True)
class Effectors:
    """E effectors (batteries, ships, SBI constellations, lasers)."""
    name: list[str]          # (E,) display name
    kind: list[str]          # (E,) interceptor type, e.g. 'gbi', 'sm3', 'thaad', 'pac3', 'sbi', 'laser'
    inventory: np.ndarray    # (E,) int rounds; lasers: shots or a large number

    def __len__(self) -> int:
        return len(self.name)
