"""Flight phases: the one vocabulary for what a threat object is doing at a time step.

``Trajectories.phase`` holds these codes (int8); numba kernels take the plain ints
(``int(Phase.BOOST)``), everything else compares against the enum.
"""

from __future__ import annotations

from enum import IntEnum


class Phase(IntEnum):
    """Flight phase code of an object on the output time grid."""

    BOOST = 0         # rocket motor burning (missile body)
    POST_BOOST = 1    # bus coasting before it releases its payload
    BALLISTIC = 2     # RV or decoy on a ballistic path (exo- and endo-atmospheric)
    GLIDE = 3         # boost-glide vehicle in lifting flight
    TERMINAL = 4      # glider's terminal dive
    DONE = 5          # impacted, burnt up or filtered by the atmosphere
    CRUISE = 6        # air-breathing cruise missile (booster included)
    NOT_LAUNCHED = 7  # before launch

    @property
    def label(self) -> str:
        """The name as results and documents show it ('post-boost', 'not-launched')."""
        return self.name.lower().replace("_", "-")


PHASE_NAMES = tuple(p.label for p in Phase)  # index = code
GONE = (Phase.DONE, Phase.NOT_LAUNCHED)  # not in flight: nothing to see or hit
AERO = (Phase.GLIDE, Phase.TERMINAL)  # sustained flight in the atmosphere (aerodynamic heating)
