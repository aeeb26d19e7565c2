"""Defence layers: the one vocabulary for where in a threat's flight a shot is taken.

``Opportunities.layer``, ``Battery.layer``, ``Outcomes.kill_layer`` and the per-layer
tables of the engine hold these codes; results show their labels.
"""

from __future__ import annotations

from enum import IntEnum


class Layer(IntEnum):
    """Defence layer of an effector or a shot."""

    BOOST = 0       # space-based interceptors (and lasers reaching a boosting missile)
    MIDCOURSE = 1   # GBI / NGI / SM-3 IIA above the atmosphere
    UNDERLAYER = 2  # the underlayer between midcourse and terminal
    TERMINAL = 3    # THAAD, Patriot, SM-6

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> "Layer":
        """The layer named ``label`` ('boost', 'midcourse', ...); KeyError when there is none."""
        return cls[label.upper()]


LAYER_NAMES = tuple(la.label for la in Layer)  # index = code
# Default layer of a catalog interceptor type (an effector may give ``layer:`` instead).
LAYER_BY_TYPE = {"gbi": Layer.MIDCOURSE, "ngi": Layer.MIDCOURSE, "sm3-iia": Layer.MIDCOURSE,
                 "underlayer": Layer.UNDERLAYER, "thaad": Layer.TERMINAL, "pac3-mse": Layer.TERMINAL,
                 "sm6": Layer.TERMINAL, "sbi": Layer.BOOST}
