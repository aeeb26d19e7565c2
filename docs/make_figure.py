"""Draw docs/demo.png from the demo raid: altitude against ground range for each missile."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from goldendome.scenario import threats as scen_threats

SAMPLE_RAID = [
    dict(missile="icbm-liquid", launch="sohae", target="seattle"),
    dict(missile="icbm-solid", launch="kp-pyongyang", target="los-angeles"),
    dict(missile="icbm-solid", launch="kp-pyongyang", target="honolulu", shape="lofted"),
    dict(missile="slbm", launch="sinpo", target="anchorage", shape="depressed"),
    dict(missile="irbm", launch="kp-north", target="guam-andersen"),
    dict(missile="mrbm", launch="kp-south", target="34.146,132.236"),  # MCAS Iwakuni, Japan
    dict(missile="srbm", launch="kp-south", target="36.96,127.03"),  # Camp Humphreys, ROK
    dict(missile="hgv-regional", launch="cn-southeast", target="26.35,127.77"),
    dict(missile="hgv-intercontinental", launch="ru-dombarovsky", target="fort-greely"),
    dict(missile="cruise-subsonic", launch="48.0,-132.0", target="bangor"),  # from a submarine off the coast
]


from goldendome.physics import earth  # noqa: E402

traj = scen_threats.fly_salvos([scen_threats.salvo(**s) for s in SAMPLE_RAID], seed=7, dt_out=2.0)
pos = traj.positions_ecef()
fig, ax = plt.subplots(figsize=(10, 4.5), dpi=110)
_, leads = np.unique(traj.objects["missile"], return_index=True)
for i in leads:
    p = pos[i][np.all(np.isfinite(pos[i]), axis=1)]
    lat, lon, alt = earth.ecef_to_geodetic(p)
    ground = earth.great_circle_distance(lat[0], lon[0], lat, lon)
    ax.plot(ground / 1e3, alt / 1e3, label=f"{traj.objects['missile_id'][i]} ({traj.objects['kind'][i]})")
ax.set_xlabel("ground range from launch, km")
ax.set_ylabel("altitude, km")
ax.set_title("goldendome demo raid: ballistic, glide and cruise threats (3-DOF, WGS84, J2, US76)")
ax.legend(fontsize=7, ncol=2)
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig("docs/demo.png")
