/* goldendome globe: plays a stored run (GET /api/runs/{id}/scene) on CesiumJS, starts runs, compares them.
 * Moving objects are one PointPrimitiveCollection updated once per clock tick from typed arrays
 * (linear interpolation between the replay's samples), not one entity per object or sample;
 * satellites another (sampled every `every` steps); radar coverage fans one static primitive;
 * interceptor fly-outs a PolylineCollection whose lines show from launch, with a moving
 * interceptor point, until a while after intercept.
 * Everything loads from this server: CesiumJS, its NaturalEarthII imagery, the API. */
"use strict";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const SPEED = Number(params.get("speed") || 60);  // animation multiplier: scenario seconds per real second
const HIGH = params.get("quality") === "high";

const gd = window.gd = {
  viewer: null, runId: null, ready: null, loaded: false,
  stats: { frames: 0, tickMs: 0, updateMs: 0, renderMs: 0, objects: 0 },
};

function makeViewer() {
  Cesium.Ion.defaultAccessToken = "";  // no Cesium ion: nothing here may leave the machine
  const imagery = Cesium.TileMapServiceImageryProvider.fromUrl(
    Cesium.buildModuleUrl("Assets/Textures/NaturalEarthII"));
  const viewer = new Cesium.Viewer("globe", {
    baseLayer: Cesium.ImageryLayer.fromProviderAsync(imagery),
    baseLayerPicker: false, geocoder: false, sceneModePicker: false, navigationHelpButton: false,
    fullscreenButton: false, homeButton: true, infoBox: false, selectionIndicator: false,
    animation: true, timeline: true, shouldAnimate: true,
    ...(HIGH ? {} : { msaaSamples: 1, skyBox: false, skyAtmosphere: false, orderIndependentTranslucency: false,
      contextOptions: { webgl: { antialias: false, powerPreference: "high-performance" } } }),
  });
  lighten(viewer.scene);
  adaptResolution(viewer);
  const credit = viewer.cesiumWidget.creditContainer;
  if (credit) credit.style.display = "none";  // the ion logo credit; imagery credit is in the legend
  instrument(viewer.scene);
  return viewer;
}

function lighten(scene) {
  // Software WebGL (SwiftShader) is the floor this page is sized for: skip full-screen passes that
  // draw no data (sky, sun, moon, fog, FXAA, ground atmosphere). ?quality=high keeps them.
  scene.globe.showGroundAtmosphere = false;
  scene.globe.enableLighting = false;
  scene.fog.enabled = false;
  scene.useDepthPicking = false;  // nothing here picks globe positions; saves a depth copy per frame
  scene.globe.showSkirts = false;  // ellipsoid only (no terrain): skirts hide cracks that cannot occur
  scene.globe.maximumScreenSpaceError = 4;  // NaturalEarthII is coarse: fewer, larger tiles lose nothing
  if (HIGH) return;
  scene.sun = undefined;
  scene.moon = undefined;
  scene.postProcessStages.fxaa.enabled = false;
  scene.backgroundColor = Cesium.Color.fromCssColorString("#05080c");
}

function adaptResolution(viewer) {
  // Software WebGL pays per pixel: below 25 fps over 2 s, render fewer pixels (down to half
  // resolution, upscaled); above 55 fps, go back up. ?scale=1 pins full resolution.
  gd.stats.scale = viewer.resolutionScale = params.has("scale") ? Number(params.get("scale")) : 1;
  if (params.has("scale")) return;
  let n = 0, t0 = performance.now();
  viewer.scene.postRender.addEventListener(() => {
    n += 1;
    const dt = performance.now() - t0;
    if (dt < 2000) return;
    const fps = (n * 1000) / dt, s = viewer.resolutionScale;
    n = 0; t0 = performance.now();
    if (fps < 25 && s > 0.5) viewer.resolutionScale = Math.max(0.5, s - 0.25);
    else if (fps > 55 && s < 1) viewer.resolutionScale = Math.min(1, s + 0.25);
    gd.stats.scale = viewer.resolutionScale;
  });
}

function instrument(scene) {
  // Frame-time breakdown: Cesium raises these events inside scene.render each frame.
  let t0 = 0, t1 = 0;
  scene.preUpdate.addEventListener(() => { t0 = performance.now(); });
  scene.postUpdate.addEventListener(() => { gd.stats.updateMs += performance.now() - t0; });
  scene.preRender.addEventListener(() => { t1 = performance.now(); });
  scene.postRender.addEventListener(() => { gd.stats.renderMs += performance.now() - t1; gd.stats.frames += 1; });
}

async function api(path, options) {
  const r = await fetch(path, options);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.detail || `${r.status} ${r.statusText}`);
  return body;
}

function status(text, isError) {
  const el = $("status");
  el.textContent = text || "";
  el.className = isError ? "error" : "";
}

/* ---------- playing a run ---------- */

class Player {
  constructor(viewer) {
    this.viewer = viewer;
    this.layer = null;
    this.items = [];
    this.dataSource = null;
    this.removeTick = null;
  }

  clear() {
    if (this.removeTick) this.removeTick();
    if (this.layer) this.viewer.scene.primitives.remove(this.layer);
    if (this.dataSource) this.viewer.dataSources.remove(this.dataSource, true);
    this.layer = null; this.items = []; this.sats = []; this.flights = []; this.dataSource = null; this.removeTick = null;
  }

  load(scene) {
    this.clear();
    this.scene = scene;
    this.epoch = Cesium.JulianDate.fromIso8601(scene.epoch);
    this.layer = this.viewer.scene.primitives.add(new Cesium.PrimitiveCollection());
    this.points = this.layer.add(new Cesium.PointPrimitiveCollection());
    this.markers = this.layer.add(new Cesium.PointPrimitiveCollection());
    this.satPoints = this.layer.add(new Cesium.PointPrimitiveCollection());
    this.trackParts = []; this.sats = []; this.flights = [];
    for (const o of scene.objects) this.addMover(o, true);
    for (const s of scene.satellites || []) this.addSat(s);
    this.tracks = this.layer.add(this.trackPrimitive(this.trackParts));
    this.fans = this.layer.add(this.fanPrimitive(scene.coverage || []));
    this.addFlyouts(scene.flyouts || [], scene.flyout_linger_s || 60);
    this.addSites(scene.sites);
    this.tracks.show = $("tracks").checked;
    this.fans.show = $("coverage").checked;
    this.setClock(scene.t0_s, scene.t_end_s);
    this.lookAt(scene);
    gd.stats.objects = this.items.length;
    gd.stats.satellites = this.sats.length; gd.stats.flyouts = this.flights.length;
    gd.stats.coverage = (scene.coverage || []).reduce((n, c) => n + c.rings.length, 0);
    this.removeTick = this.viewer.clock.onTick.addEventListener((clock) => this.tick(clock));
    this.tick(this.viewer.clock);
  }

  addMover(o, isThreat) {
    if (!o.pos.length) return;
    const [cart, xyz] = Player.cartesians(o.pos);
    const color = Cesium.Color.fromBytes(...o.color);
    const point = this.points.add({ position: cart[0], color, show: false,
      pixelSize: o.kind === "rv" ? 6 : o.kind === "satellite" ? 3 : 4 });
    const dt = this.scene.dt_s, tFirst = this.scene.t0_s + o.i0 * dt;
    const tLast = tFirst + (cart.length - 1) * dt;
    const killed = isThreat && o.kill_time_s != null && (o.p_killed || 0) >= 0.5;
    const item = { i0: o.i0, n: cart.length, xyz, point, hideAt: killed ? Math.min(o.kill_time_s, tLast) : tLast };
    if (killed) item.mark = this.marker(this.at(item, o.kill_time_s), "#ffeb3b", o.kill_time_s);
    if (isThreat && (o.p_leak || 0) >= 0.5) item.mark = this.marker(cart[cart.length - 1], "#ff1744", tLast);
    if (isThreat && o.kind === "rv" && cart.length > 1) this.trackParts.push([cart, color.withAlpha(0.35)]);
    this.items.push(item);
  }

  static cartesians(flat) {
    // [lon, lat, h, ...] -> Cartesian3 list and a flat Float64Array of the same (ECEF, m).
    const cart = Cesium.Cartesian3.fromDegreesArrayHeights(flat);
    const xyz = new Float64Array(cart.length * 3);
    cart.forEach((c, i) => { xyz[3 * i] = c.x; xyz[3 * i + 1] = c.y; xyz[3 * i + 2] = c.z; });
    return [cart, xyz];
  }

  addSat(s) {
    if (!s.pos.length) return;
    const [cart, xyz] = Player.cartesians(s.pos);
    const point = this.satPoints.add({ position: cart[0], color: Cesium.Color.fromBytes(...s.color), pixelSize: 3,
      show: false });
    this.sats.push({ i0: s.i0, n: cart.length, xyz, point, every: s.every || 1 });
  }

  fanPrimitive(fans) {
    // Radar coverage: every face's ground sector as an outline (one static primitive); the translucent
    // fill only at ?quality=high: overlapping fills of 5,000 km fans cost software WebGL half its frame rate.
    const fills = [], lines = [];
    for (const f of fans) {
      const color = Cesium.Color.fromBytes(...f.color);
      for (const ring of f.rings) {
        if (ring.length < 6) continue;
        const pts = Cesium.Cartesian3.fromDegreesArray(ring);
        if (HIGH) fills.push(new Cesium.GeometryInstance({
          geometry: new Cesium.PolygonGeometry({ polygonHierarchy: new Cesium.PolygonHierarchy(pts), height: 1000 }),
          attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(color) } }));
        lines.push(new Cesium.GeometryInstance({
          geometry: new Cesium.SimplePolylineGeometry({ positions: pts.concat([pts[0]]), arcType: Cesium.ArcType.GEODESIC }),
          attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(color.withAlpha(0.45)) } }));
      }
    }
    const out = new Cesium.PrimitiveCollection();
    if (!lines.length) return out;
    const appearance = () => new Cesium.PerInstanceColorAppearance({ flat: true, translucent: true });
    if (fills.length) out.add(new Cesium.Primitive({ geometryInstances: fills, asynchronous: false, appearance: appearance() }));
    out.add(new Cesium.Primitive({ geometryInstances: lines, asynchronous: false, appearance: appearance() }));
    return out;
  }

  addFlyouts(flyouts, linger) {
    // Launcher -> intercept arcs: the line shows from launch to `linger` s after intercept; a point flies it.
    this.flyLines = this.layer.add(new Cesium.PolylineCollection());
    for (const f of flyouts) {
      const [cart, xyz] = Player.cartesians(f.pos);
      const color = Cesium.Color.fromBytes(...f.color);
      const line = this.flyLines.add({ positions: cart, width: 1.5, show: false,
        material: Cesium.Material.fromType("Color", { color: color.withAlpha(0.8) }) });
      const point = this.satPoints.add({ position: cart[0], color, pixelSize: 4, show: false });
      this.flights.push({ t0: f.launch_s, t1: f.intercept_s, tOff: f.intercept_s + linger, n: cart.length, xyz, line, point });
    }
  }

  trackPrimitive(parts) {
    // Every RV's path as 1-pixel GL lines in one static primitive: one draw call, cheap vertex work.
    const instances = parts.map(([positions, color]) => new Cesium.GeometryInstance({
      geometry: new Cesium.SimplePolylineGeometry({ positions, arcType: Cesium.ArcType.NONE }),
      attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(color) } }));
    if (!instances.length) return new Cesium.PrimitiveCollection();
    return new Cesium.Primitive({ geometryInstances: instances, asynchronous: false,
      appearance: new Cesium.PerInstanceColorAppearance({ flat: true, translucent: true }) });
  }

  marker(position, css, t) {
    const p = this.markers.add({ position, pixelSize: 9, color: Cesium.Color.TRANSPARENT, show: false,
      outlineColor: Cesium.Color.fromCssColorString(css), outlineWidth: 2 });
    return { point: p, t };
  }

  at(item, t) {
    // Position at scenario time t by linear interpolation between samples (ECEF, m).
    const kf = Math.min(Math.max((t - this.scene.t0_s) / this.scene.dt_s - item.i0, 0), item.n - 1);
    const k = Math.min(Math.floor(kf), item.n - 2), f = kf - k, a = 3 * Math.max(k, 0), x = item.xyz;
    if (item.n < 2) return new Cesium.Cartesian3(x[0], x[1], x[2]);
    return new Cesium.Cartesian3(x[a] + f * (x[a + 3] - x[a]), x[a + 1] + f * (x[a + 4] - x[a + 1]),
      x[a + 2] + f * (x[a + 5] - x[a + 2]));
  }

  addSites(sites) {
    const labels = this.layer.add(new Cesium.LabelCollection());
    for (const s of sites) {
      const position = Cesium.Cartesian3.fromDegrees(s.lon_deg, s.lat_deg, 0);
      this.markers.add({ position, pixelSize: s.kind === "asset" ? 7 : 8, color: Cesium.Color.fromBytes(...s.color),
        outlineColor: Cesium.Color.BLACK, outlineWidth: 1 });
      if (s.kind === "asset") {
        labels.add({ position, text: s.name, font: "11px sans-serif", fillColor: Cesium.Color.WHITE,
          pixelOffset: new Cesium.Cartesian2(8, -8), scale: 1.0, showBackground: false,
          distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 2.0e7) });
      }
    }
  }

  lookAt(scene) {
    // Camera above the mean of launch points, aim points and sites (unit vectors: safe across the date line).
    const sum = new Cesium.Cartesian3(), pts = [];
    for (const o of scene.objects) if (o.pos.length) pts.push([o.pos[0], o.pos[1]], [o.pos[o.pos.length - 3], o.pos[o.pos.length - 2]]);
    for (const s of scene.sites) pts.push([s.lon_deg, s.lat_deg]);
    for (const [lon, lat] of pts) Cesium.Cartesian3.add(sum, Cesium.Cartesian3.fromDegrees(lon, lat, 0), sum);
    if (!pts.length || Cesium.Cartesian3.magnitude(sum) < 1) return;
    const c = Cesium.Cartographic.fromCartesian(Cesium.Cartesian3.normalize(sum, sum), Cesium.Ellipsoid.UNIT_SPHERE);
    const dest = Cesium.Cartesian3.fromRadians(c.longitude, c.latitude, 1.5e7);
    this.viewer.camera.setView({ destination: dest });
  }

  setClock(t0, tEnd) {
    const clock = this.viewer.clock, J = Cesium.JulianDate;
    clock.startTime = J.addSeconds(this.epoch, t0, new J());
    clock.stopTime = J.addSeconds(this.epoch, tEnd, new J());
    clock.currentTime = clock.startTime.clone();
    clock.clockRange = Cesium.ClockRange.LOOP_STOP;
    clock.multiplier = SPEED;
    clock.shouldAnimate = true;
    if (this.viewer.timeline) this.viewer.timeline.zoomTo(clock.startTime, clock.stopTime);
  }

  tick(clock) {
    const start = performance.now();
    const t = Cesium.JulianDate.secondsDifference(clock.currentTime, this.epoch);
    const kf = (t - this.scene.t0_s) / this.scene.dt_s, k0 = Math.floor(kf), f = kf - k0;
    const pos = Player.scratch;
    for (const it of this.items) {
      const k = k0 - it.i0;
      const on = k >= 0 && k < it.n - 1 && t <= it.hideAt;
      if (on) it.point.position = lerp(it.xyz, 3 * k, f, pos);
      if (it.point.show !== on) it.point.show = on;
      if (it.mark) { const m = t >= it.mark.t; if (it.mark.point.show !== m) it.mark.point.show = m; }
    }
    this.tickSats(t, pos);
    this.tickFlights(t, pos);
    gd.stats.tickMs += performance.now() - start;
  }

  tickSats(t, pos) {
    for (const it of this.sats) {
      const kf = (t - this.scene.t0_s) / (this.scene.dt_s * it.every) - it.i0, k = Math.floor(kf), f = kf - k;
      const on = k >= 0 && k < it.n - 1;
      if (on) it.point.position = lerp(it.xyz, 3 * k, f, pos);
      if (it.point.show !== on) it.point.show = on;
    }
  }

  tickFlights(t, pos) {
    for (const it of this.flights) {
      const line = t >= it.t0 && t <= it.tOff, flying = t >= it.t0 && t < it.t1;
      if (it.line.show !== line) it.line.show = line;
      if (flying) {
        const kf = ((t - it.t0) / Math.max(it.t1 - it.t0, 1e-6)) * (it.n - 1), k = Math.min(Math.floor(kf), it.n - 2);
        it.point.position = lerp(it.xyz, 3 * k, kf - k, pos);
      }
      if (it.point.show !== flying) it.point.show = flying;
    }
  }
}
Player.scratch = new Cesium.Cartesian3();

function lerp(x, a, f, out) {
  // Point f of the way from sample a/3 to the next of a flat xyz array, into `out`.
  out.x = x[a] + f * (x[a + 3] - x[a]); out.y = x[a + 1] + f * (x[a + 4] - x[a + 1]);
  out.z = x[a + 2] + f * (x[a + 5] - x[a + 2]);
  return out;
}

async function loadCzml(runId) {
  // The CZML endpoint rendered by Cesium's own entity layer (?mode=czml): for comparison and export checks.
  player.clear();
  const ds = await Cesium.CzmlDataSource.load(`/api/runs/${runId}/czml`);
  player.dataSource = ds;
  await gd.viewer.dataSources.add(ds);
  gd.viewer.clock.multiplier = SPEED;
  gd.viewer.clock.shouldAnimate = true;
  gd.stats.objects = ds.entities.values.length;
}

async function playRun(runId) {
  status(`loading ${runId} ...`);
  gd.loaded = false;
  if (params.get("mode") === "czml") await loadCzml(runId);
  else player.load(await api(`/api/runs/${runId}/scene`));
  gd.runId = runId;
  $("czml-link").href = `/api/runs/${runId}/czml`;
  $("czml-link").hidden = false;
  gd.loaded = true;
  status(`playing ${runId} at ${SPEED}x (${gd.stats.objects} objects)`);
}

/* ---------- panels ---------- */

const fmt = (x, d = 3) => (x == null ? "–" : typeof x === "number" ? String(+x.toFixed(d)) : String(x));
const money = (x) => (x == null ? "–" : (x / 1e6).toFixed(1));
const ci = (v, c) => `${fmt(v)} [${c ? c.map((y) => fmt(y)).join(", ") : "–"}]`;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function table(rows) {
  const t = el("table");
  for (const [k, ...vals] of rows) {
    const tr = t.insertRow();
    tr.appendChild(el("th", k));
    for (const v of vals) tr.appendChild(el("td", v, "num"));
  }
  return t;
}

function showMetrics(run) {
  const m = run.metrics || {};
  const rows = [["run", run.run_id], ["name", run.name], ["trials / seed", `${run.trials} / ${run.seed}`],
    ["P(no leak) [95% CI]", ci(m.p_no_leak, m.p_no_leak_ci95)],
    ["E[leakers] [95% CI]", ci(m.expected_leakers, m.expected_leakers_ci95)],
    ["defended value", fmt(m.defended_value_fraction)], ["interceptor cost $M", money(m.cost_used_usd)],
    ["objects", fmt(m.objects)]];
  for (const [k, v] of Object.entries(m.interceptors_used || {})) rows.push([`shots: ${k}`, fmt(v, 2)]);
  for (const [k, v] of Object.entries(m.leakers_by_asset || {})) rows.push([`leakers at ${k}`, fmt(v)]);
  const box = $("metrics");
  box.replaceChildren(table(rows));
  box.dataset.runId = run.run_id;
}

async function selectRun(runId) {
  for (const tr of document.querySelectorAll("#runs tbody tr")) tr.classList.toggle("selected", tr.dataset.id === runId);
  try {
    showMetrics(await api(`/api/runs/${runId}`));
    await playRun(runId);
  } catch (e) { status(e.message, true); }
}

async function refreshRuns() {
  const { runs } = await api("/api/runs");
  const body = $("runs").tBodies[0];
  body.replaceChildren();
  for (const r of runs) {
    const tr = body.insertRow();
    tr.dataset.id = r.run_id;
    const box = el("input"); box.type = "checkbox"; box.value = r.run_id;
    box.addEventListener("click", (ev) => { ev.stopPropagation(); updateCompareButton(); });
    tr.insertCell().appendChild(box);
    for (const v of [r.run_id, r.name, fmt(r.metrics.p_no_leak), fmt(r.metrics.expected_leakers),
      money(r.metrics.cost_used_usd)]) tr.appendChild(el("td", v));
    tr.addEventListener("click", () => selectRun(r.run_id));
  }
  updateCompareButton();
  return runs;
}

function updateCompareButton() {
  $("compare-button").disabled = document.querySelectorAll("#runs input:checked").length < 2;
}

async function compareSelected() {
  const ids = [...document.querySelectorAll("#runs input:checked")].map((b) => b.value);
  try {
    const res = await api("/api/compare?" + ids.map((i) => `run_id=${encodeURIComponent(i)}`).join("&"));
    const r = res.runs;
    const rows = [["run", ...r.map((x) => x.run_id)], ["name", ...r.map((x) => x.name)],
      ["P(no leak)", ...r.map((x) => fmt(x.p_no_leak))], ["E[leakers]", ...r.map((x) => fmt(x.expected_leakers))],
      ["defended value", ...r.map((x) => fmt(x.defended_value_fraction))],
      ["cost $M", ...r.map((x) => money(x.cost_used_usd))], ["trials", ...r.map((x) => fmt(x.trials))]];
    $("compare").replaceChildren(table(rows));
    $("compare-section").hidden = false;
  } catch (e) { status(e.message, true); }
}

/* ---------- starting runs ---------- */

async function fillPickers() {
  const [{ scenarios }, { presets }, sets] = await Promise.all([api("/api/scenarios"), api("/api/presets"),
    api("/api/threat-sets")]);
  for (const s of scenarios.filter((x) => x.valid)) {
    $("scenario").add(new Option(`${s.name} (${s.objects} objects, ${s.architecture})`, s.name));
  }
  for (const p of presets) $("architecture").add(new Option(p.name, p.name));
  for (const t of sets.threat_sets) {
    $("threats").add(new Option(`${t.name}: ${t.adversary}, ${t.nominal} missiles`, t.name));
  }
}

function runRequest() {
  const body = { scenario: $("scenario").value };
  if ($("architecture").value) body.architecture = $("architecture").value;
  if ($("threats").value) body.threat_set = $("threats").value;
  if ($("threats").value && $("missiles").value) body.missiles = Number($("missiles").value);
  if ($("trials").value) body.trials = Number($("trials").value);
  if ($("seed").value) body.seed = Number($("seed").value);
  return body;
}

async function startRun() {
  $("run-button").disabled = true;
  try {
    const job = await api("/api/runs", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(runRequest()) });
    $("job").hidden = false;
    await followJob(job.id);
  } catch (e) {
    status(e.message, true);
  } finally {
    $("run-button").disabled = false;
  }
}

async function followJob(jobId) {
  for (;;) {
    const job = await api(`/api/jobs/${jobId}`);
    showJob(job);
    if (job.state === "done") { await refreshRuns(); await selectRun(job.run_id); return; }
    if (job.state === "failed") throw new Error(`run failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function showJob(job) {
  const expected = job.expected_s ? ` of ~${Math.round(job.expected_s)} s` : "";
  const stage = job.state === "running" && job.stage ? ` (${job.stage})` : "";
  $("job-text").textContent = `${job.id}: ${job.state}${stage}, ${job.elapsed_s} s${expected}` +
    (job.run_id ? ` -> ${job.run_id}` : "");
  $("job").dataset.state = job.state;
  const bar = $("job-progress");
  if (job.state === "running" && !job.expected_s && job.stage == null) bar.removeAttribute("value");  // indeterminate
  else bar.value = job.progress;
}

/* ---------- start-up ---------- */

let player = null;

async function main() {
  gd.viewer = makeViewer();
  player = new Player(gd.viewer);
  $("run-button").addEventListener("click", startRun);
  $("compare-button").addEventListener("click", compareSelected);
  $("tracks").addEventListener("change", () => { if (player.tracks) player.tracks.show = $("tracks").checked; });
  $("coverage").addEventListener("change", () => { if (player.fans) player.fans.show = $("coverage").checked; });
  if (params.get("coverage") === "0") $("coverage").checked = false;
  if (params.get("tracks") === "0") $("tracks").checked = false;
  await fillPickers();
  const runs = await refreshRuns();
  const first = params.get("run") || (runs[0] && runs[0].run_id);
  if (first) await selectRun(first);
  else status("No runs stored yet: start one above.");
}

gd.ready = main().catch((e) => status(e.message, true));
