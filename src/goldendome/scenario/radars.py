"""Catalog radar entries (radars.yaml) -> :class:`goldendome.sensors.radar.Radar` (input checked here)."""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..sensors.radar import Radar, validate

_FIELDS = ("kind", "band", "faces_az_deg", "fov_az_half_deg", "fov_el_max_deg", "min_el_deg",
           "ref_range_km", "ref_rcs_m2", "ref_snr", "max_range_km", "beamwidth_deg", "bandwidth_mhz",
           "revisit_s", "false_alarms_per_scan", "sigma_r_floor_m", "sigma_angle_floor_mrad")


def _site(radar_id: str, entry: dict, site) -> tuple[str, dict]:
    """(site name, {lat, lon, alt_m, faces_az_deg?, heading_deg?}) for ``site``."""
    sites = entry.get("sites") or {}
    if site is None:
        if not sites:
            raise InputError(f"radar '{radar_id}' has no catalog site: give site=(lat, lon) in degrees")
        site = next(iter(sites))
    if isinstance(site, str):
        if site not in sites:
            raise InputError(f"radar '{radar_id}': unknown site '{site}' (known: {', '.join(sites) or 'none'})")
        return site, dict(sites[site])
    if isinstance(site, dict):
        return str(site.get("name", "custom")), dict(site)
    vals = list(site)
    if len(vals) not in (2, 3):
        raise InputError(f"radar '{radar_id}': site must be (lat, lon) or (lat, lon, alt_m), got {site!r}")
    return "custom", {"lat": vals[0], "lon": vals[1], "alt_m": vals[2] if len(vals) == 3 else 0.0}


def radar_from_entry(radar_id: str, entry: dict, site=None) -> Radar:
    """Build a :class:`Radar` from a catalog/radars.yaml entry.

    Parameters
    ----------
    radar_id : catalog id (``uewr``, ``lrdr``, ``tpy2``, ``spy6``, ``generic-radar``).
    entry : the mapping under ``radars: <id>`` (degrees, km, MHz, mrad as the keys say).
    site : None (the entry's first site), a site name of the entry, (lat, lon[, alt_m]) in
        degrees / m (forward-based radars, ships), or a dict {lat, lon, alt_m, faces_az_deg,
        heading_deg}. ``heading_deg`` (ships) rotates the faces.

    Returns
    -------
    Radar, validated; its id is ``'<radar_id>@<site name>'``.

    Notes
    -----
    Units are converted only; every number and its source is in catalog/radars.yaml.
    """
    missing = [f for f in _FIELDS if f not in entry]
    if missing:
        raise InputError(f"radar '{radar_id}': catalog entry lacks {', '.join(missing)}")
    name, s = _site(radar_id, entry, site)
    try:
        lat, lon, alt = float(s["lat"]), float(s["lon"]), float(s.get("alt_m", 0.0))
        faces = [float(a) + float(s.get("heading_deg", 0.0)) for a in s.get("faces_az_deg", entry["faces_az_deg"])]
    except (KeyError, TypeError, ValueError):
        raise InputError(f"radar '{radar_id}': site '{name}' needs numeric lat, lon (deg) and alt_m") from None
    if not -90.0 <= lat <= 90.0:
        raise InputError(f"radar '{radar_id}': site latitude {lat} deg is outside [-90, 90]")
    try:
        r = _radar(radar_id, name, entry, lat, lon, alt, faces)
    except (TypeError, ValueError) as exc:
        raise InputError(f"radar '{radar_id}': a parameter is not a number ({exc})") from None
    try:
        validate(r)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    return r


def _radar(radar_id: str, name: str, entry: dict, lat, lon, alt, faces) -> Radar:
    """The Radar of a catalog entry at a site (units converted only); ValueError/TypeError on a bad value."""
    return Radar(
        id=f"{radar_id}@{name}", kind=str(entry["kind"]), lat_rad=np.radians(lat), lon_rad=np.radians(lon),
        alt_m=alt, faces_az_rad=tuple(np.radians(np.mod(faces, 360.0)).tolist()),
        fov_az_half_rad=np.radians(float(entry["fov_az_half_deg"])),
        fov_el_max_rad=np.radians(float(entry["fov_el_max_deg"])), min_el_rad=np.radians(float(entry["min_el_deg"])),
        ref_range_m=float(entry["ref_range_km"]) * 1e3, ref_rcs_m2=float(entry["ref_rcs_m2"]),
        ref_snr=float(entry["ref_snr"]), max_range_m=float(entry["max_range_km"]) * 1e3, band=str(entry["band"]),
        beamwidth_rad=np.radians(float(entry["beamwidth_deg"])), bandwidth_hz=float(entry["bandwidth_mhz"]) * 1e6,
        revisit_s=float(entry["revisit_s"]), false_alarms_per_scan=float(entry["false_alarms_per_scan"]),
        sigma_r_floor_m=float(entry["sigma_r_floor_m"]),
        sigma_angle_floor_rad=float(entry["sigma_angle_floor_mrad"]) * 1e-3, pfa=float(entry.get("pfa", 1e-6)))
