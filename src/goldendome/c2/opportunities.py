"""What battle management reasons about: the engagement table (from effectors/), the threats as
the defender sees them, and the doctrine.

`Opportunities` and `Effectors` are made by effectors/ (re-exported here, layers are
:class:`goldendome.effectors.layers.Layer`); the scenario
edge fills `Threats`; `C2Params` carries doctrine. Plain frozen dataclasses, SI units (s, USD).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..effectors.layers import Layer
from ..effectors.table import Effectors, Opportunities  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class Threats:
    """N threat objects (RVs, gliders, decoys) as the defender sees them, with the truth."""
    missile: np.ndarray      # (N,) int index of the missile that carried it
    is_rv: np.ndarray        # (N,) bool truth: a decoy cannot kill anything
    p_rv: np.ndarray         # (N,) defender's discrimination confidence that it is an RV
    asset: np.ndarray        # (N,) int index of the defended asset its predicted impact threatens (-1: none)
    value: np.ndarray        # (N,) value of that asset

    def __len__(self) -> int:
        return int(np.shape(self.is_rv)[0])


@dataclass(frozen=True)
class C2Params:
    """Doctrine and engagement rules of the battle manager."""
    doctrine: str = 'shoot-look-shoot'  # or 'shoot-shoot'
    max_shots_per_threat: int = 4
    kill_assessment_s: float = 10.0     # shoot-look-shoot: a new shot may launch only after the previous intercept + this
    salvo: int = 2                      # shoot-shoot: shots per engagement opportunity
    engage_threshold: float = 0.3       # engage an object only if p_rv >= this (decoys with low confidence draw no shots)
    layer_order: tuple = tuple(Layer)   # preference: earlier layers first
