"""Battle management / C2: the engagement data contract, doctrine and weapon-target assignment.

`opportunities.py` holds the contract that effectors/ fills (`Opportunities`, `Effectors`,
`Threats`) and the C2 settings (`C2Params`); `doctrine.py` the shot-timing rules of
shoot-look-shoot and shoot-shoot; `assign.py` the planners (greedy marginal return, HiGHS MILP).
"""

from goldendome.c2.opportunities import C2Params, Effectors, Opportunities, Threats

__all__ = ["C2Params", "Effectors", "Opportunities", "Threats"]
