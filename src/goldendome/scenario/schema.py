"""Scenario file, version 1 (goldendome/v1): the user-facing contract, as pydantic models.

Fields carry their unit in the name where it is not SI (_km, _deg, _usd). Any catalog
parameter of an inline sensor or effector may be overridden by naming it beside `type`.
`goldendome schema` prints the JSON Schema of `Scenario`.
"""

from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_ID = "goldendome/v1"


class LatLon(BaseModel):
    """A point in degrees."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    lat: float = Field(ge=-90.0, le=90.0)
    lon: float = Field(ge=-180.0, le=360.0)


Place = Union[str, LatLon]  # 'LAT,LON', a catalog site or region id, or {lat, lon}


MAX_SEED = 2**63 - 1      # numpy's SeedSequence takes any non-negative int; the store keeps a BIGINT
MAX_TRIALS = 10_000_000   # Monte Carlo trials of one run (the memory budget of app/run.py binds first)


class Threat(BaseModel):
    """A salvo: ``count`` missiles of one catalog class, ``spacing_s`` apart from ``t0_s``."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    missile: str
    launch: Place
    target: Place
    count: int = Field(1, ge=1)
    spacing_s: float = Field(0.0, ge=0.0)
    t0_s: float = Field(0.0, ge=0.0)
    shape: Literal["min-energy", "lofted", "depressed"] = "min-energy"
    apogee_km: float | None = Field(None, gt=0.0)
    decoys: int = Field(0, ge=0)
    crossrange_km: float = 0.0
    # The attacker's cost of one missile (with its RVs and decoys), USD; when every salvo gives
    # one, `run` reports the cost-exchange ratio (defender's interceptor cost / attacker's cost).
    unit_cost_usd: float | None = Field(None, ge=0.0)


class Sensor(BaseModel):
    """A sensor: a radar at a site (or ship position) or a space infrared constellation."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False)  # catalog overrides, checked where they are applied
    kind: Literal["radar", "space-ir"]
    type: str
    site: Place | None = None
    latency_s: float = Field(0.0, ge=0.0, le=3600.0)


class C2(BaseModel):
    """Battle management: link latency, firing doctrine and shot limit."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    latency_s: float = Field(10.0, ge=0.0, le=3600.0)
    doctrine: Literal["shoot-shoot", "shoot-look-shoot"] = "shoot-look-shoot"
    max_shots_per_threat: int = Field(4, ge=1, le=100)
    # none: each trial's battle manager assigns shots greedily as the raid unfolds; greedy or
    # milp: a planned defence (shots per opportunity fixed before the raid by the marginal-return
    # greedy or the HiGHS MILP), then played in every trial.
    planner: Literal["none", "greedy", "milp"] = "none"


class Architecture(BaseModel):
    """Inline architecture: sensors, effectors and C2."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    sensors: list[Sensor] = []
    effectors: list[dict] = []
    c2: C2 = C2()


class Asset(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    id: str
    lat: float = Field(ge=-90.0, le=90.0)
    lon: float = Field(ge=-180.0, le=360.0)
    value: float = Field(1.0, ge=0.0, le=1e9)
    category: str = "countervalue"


class Scenario(BaseModel):
    """A goldendome/v1 scenario."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)
    schema_id: Literal["goldendome/v1"] = Field(SCHEMA_ID, alias="schema")
    name: str
    seed: int = Field(0, ge=0, le=MAX_SEED)
    trials: int = Field(1000, ge=1, le=MAX_TRIALS)
    threats: list[Threat] = Field(min_length=1)
    architecture: Union[str, Architecture] = Field(default_factory=Architecture)
    assets: Union[str, list[Asset], None] = None

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v
