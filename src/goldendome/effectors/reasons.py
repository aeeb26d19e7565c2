"""Why an object was or was not engaged or killed by a layer: one vocabulary for the whole chain.

Each (object, layer) of a run ends each trial with one :class:`Why`: how far the object got
through that layer's kill chain. Codes are ordered so that the larger code is the further
step, and the engine keeps the largest code any of the layer's weapons reached:
a layer that shot and missed with one battery and found the next battery empty says MISSED.

The first codes are static (geometry and tracking, the same in every trial; made by
:func:`goldendome.effectors.opportunities.build`), the rest are decided by battle management
in each trial (:func:`goldendome.engine.montecarlo.simulate`).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Why(IntEnum):
    """How far an object got through one layer's kill chain (larger = further)."""

    NO_LAYER = 0         # the architecture has no weapon in this layer
    OUT_OF_ENVELOPE = 1  # never inside the envelope (reach, altitude band, fly-out) of any weapon of the layer
    NO_TRACK = 2         # inside an envelope, but never a fire-control-quality track for that weapon
    TRACK_TOO_LATE = 3   # a fire-control track came, but too late for any fly-out to meet it in the envelope
    BELOW_THRESHOLD = 4  # judged a decoy: discrimination confidence below the engage threshold
    NOT_ASSIGNED = 5     # the planner (c2.planner) gave its windows no shot
    HELD = 6             # shots held for a better later layer (its limit per threat would not allow both)
    NO_TIME = 7          # the window closed while an earlier shot was still being assessed
    SHOT_LIMIT = 8       # its max_shots_per_threat were already spent
    NO_INVENTORY = 9     # the weapons that could reach it had no rounds left
    KILLED_EARLIER = 10  # already dead (an earlier shot, this layer or another)
    MISSED = 11          # shot at, and every shot missed
    KILLED = 12          # killed by this layer

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


WHY_LABELS = tuple(w.label for w in Why)  # index = code
WHY_TEXT = {
    Why.NO_LAYER: "no weapon in this layer",
    Why.OUT_OF_ENVELOPE: "never inside any envelope of the layer",
    Why.NO_TRACK: "inside an envelope, never a fire-control track",
    Why.TRACK_TOO_LATE: "fire-control track too late for a fly-out",
    Why.BELOW_THRESHOLD: "judged a decoy (below the engage threshold)",
    Why.NOT_ASSIGNED: "the planner assigned it no shot",
    Why.HELD: "held for a better later layer",
    Why.NO_TIME: "window closed during kill assessment",
    Why.SHOT_LIMIT: "shot limit per threat spent",
    Why.NO_INVENTORY: "no rounds left",
    Why.KILLED_EARLIER: "already killed",
    Why.MISSED: "shot at and missed",
    Why.KILLED: "killed",
}
# The static codes, decided by geometry and tracking before any shot.
STATIC = (Why.NO_LAYER, Why.OUT_OF_ENVELOPE, Why.NO_TRACK, Why.TRACK_TOO_LATE)


def static_reason(in_envelope, tracked, in_time):
    """Static code of each object for one weapon from three masks (broadcast together).

    ``in_envelope``: ever inside the weapon's envelope; ``tracked``: a fire-control track
    exists; ``in_time``: some launch after the track meets the object inside the envelope.
    Objects with ``in_time`` get TRACK_TOO_LATE as a floor (battle management decides more).
    """
    env, trk, ok = (np.asarray(m, bool) for m in (in_envelope, tracked, in_time))
    code = np.where(env, np.where(trk, Why.TRACK_TOO_LATE, Why.NO_TRACK), Why.OUT_OF_ENVELOPE)
    return np.where(ok, Why.TRACK_TOO_LATE, code).astype(np.int8)
