/* goldendome globe: plays a stored run (GET /api/runs/{id}/scene) on CesiumJS, starts runs, compares them.
 * The drawing is player.js's Player; this file sets the viewer up for software WebGL, and runs the panels.
 * Everything loads from this server: CesiumJS, its NaturalEarthII imagery, the API. */
"use strict";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const SPEED = Number(params.get("speed") || 60);  // animation multiplier: scenario seconds per real second
const HIGH = params.get("quality") === "high";

const gd = window.gd = {
  viewer: null, runId: null, ready: null, loaded: false, globe: false, panels: false,
  stats: { frames: 0, tickMs: 0, updateMs: 0, renderMs: 0, objects: 0 },
};

function makeViewer() {
  Cesium.Ion.defaultAccessToken = "";  // no Cesium ion: nothing here may leave the machine
  const imagery = Cesium.TileMapServiceImageryProvider.fromUrl(
    Cesium.buildModuleUrl("Assets/Textures/NaturalEarthII"));
  const viewer = new Cesium.Viewer("globe", {
    // Anisotropic filtering (up to 16 texture reads per pixel) only sharpens the limb: ~10 % of a software frame.
    baseLayer: Cesium.ImageryLayer.fromProviderAsync(imagery, HIGH ? {} : { maximumAnisotropy: 1 }),
    baseLayerPicker: false, geocoder: false, sceneModePicker: false, navigationHelpButton: false,
    fullscreenButton: false, homeButton: true, infoBox: false, selectionIndicator: false,
    animation: false, timeline: false, shouldAnimate: true,  // clockbar.js instead
    ...(HIGH ? {} : { msaaSamples: 1, skyBox: false, skyAtmosphere: false, orderIndependentTranslucency: false,
      contextOptions: { webgl: { antialias: false, powerPreference: "high-performance" } } }),
  });
  lighten(viewer.scene);
  adaptResolution(viewer);
  renderOnDemand(viewer);
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
  dropGlobeDepth(scene);
}

function dropGlobeDepth(scene) {
  // Cesium draws the globe into an offscreen "globe depth" framebuffer, then copies its depth and its
  // colour to the screen: full-screen passes that cost SwiftShader ~25 % of the frame at 940x720 and
  // serve depth picking, ground-clamped classification and order-independent translucency, none of
  // which this page uses. Without it the scene draws straight to the canvas; billboards (labels) still
  // sample the packed globe depth, so they get a 1x1 zero texture, which reads as "not on the globe"
  // (no extra occlusion test; the depth buffer still hides labels behind the Earth). Private fields of
  // the pinned CesiumJS (web/package.json), hence the guard; ?quality=high keeps Cesium's path.
  const view = scene._view, uniforms = scene.context && scene.context.uniformState;
  if (!view || !view.globeDepth || !uniforms || !("globeDepthTexture" in uniforms) || params.has("globedepth")) return;
  view.globeDepth.destroy();
  view.globeDepth = undefined;
  uniforms.globeDepthTexture = new Cesium.Texture({ context: scene.context,
    source: { width: 1, height: 1, arrayBufferView: new Uint8Array(4) } });
}

function renderOnDemand(viewer) {
  // Draw a frame only when something changes: every frame while the clock plays (any change of
  // simulation time), on camera moves, tile loads and requestRender(); none while paused.
  // playRun turns it on for the Player's primitives and off for CZML entities.
  viewer.scene.requestRenderMode = true;
  viewer.scene.maximumRenderTimeChange = 0.0;
}

function adaptResolution(viewer) {
  // Software WebGL pays per pixel: below 32 rendered frames per second over 2 s of play (30 and a
  // margin for the next window's noise), render fewer pixels (down to half resolution, upscaled);
  // above 55, go back up. Pauses (no frame for 250 ms) and imagery loads start a new window.
  // ?scale=1 pins full resolution.
  gd.stats.scale = viewer.resolutionScale = params.has("scale") ? Number(params.get("scale")) : 1;
  if (params.has("scale")) return;
  let n = 0, t0 = 0, last = -1e9;  // frames drawn since the window began at t0
  viewer.scene.postRender.addEventListener(() => {
    const now = performance.now();
    if (now - last > 250 || !viewer.scene.globe.tilesLoaded) { n = 0; t0 = now; }  // a pause, or imagery loading
    last = now;
    if (now - t0 < 2000) { n += 1; return; }
    const fps = (n * 1000) / (now - t0), s = viewer.resolutionScale;
    n = 1; t0 = now;
    if (fps < 32 && s > 0.5) viewer.resolutionScale = Math.max(0.5, s - 0.25);
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

/* ---------- playing a run (Player: player.js) ---------- */

async function loadCzml(runId) {
  // The CZML endpoint rendered by Cesium's own entity layer (?mode=czml): for comparison and export checks.
  player.clear();
  // Entities build their geometry during frames, and the clock waits for them: no render on demand here.
  gd.viewer.scene.requestRenderMode = false;
  const ds = await Cesium.CzmlDataSource.load(`/api/runs/${runId}/czml`);
  player.dataSource = ds;
  await gd.viewer.dataSources.add(ds);
  gd.viewer.clock.multiplier = Number($("speed").value);  // the CZML clock packet sets its own
  gd.viewer.clock.shouldAnimate = true;
  gd.stats.objects = ds.entities.values.length;
}

async function playRun(runId) {
  if (!player) return;  // no globe (CesiumJS failed to start): the panels still show the run
  status(`loading ${runId} ...`);
  gd.loaded = false;
  if (params.get("mode") === "czml") await loadCzml(runId);
  else { gd.viewer.scene.requestRenderMode = true; player.load(await api(`/api/runs/${runId}/scene`)); }
  showLayers();
  gd.runId = runId;
  $("czml-link").href = `/api/runs/${runId}/czml`;
  $("czml-link").hidden = false;
  gd.loaded = true;
  status(`playing ${runId} at ${gd.viewer.clock.multiplier}x (${gd.stats.objects} objects)`);
  gd.clockBar();
}

function showLayers() {
  if (!player) return;
  if (player.tracks) player.tracks.show = $("tracks").checked;
  if (player.fans) player.fans.show = $("coverage").checked;
  gd.viewer.scene.requestRender();
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

function startGlobe() {
  // The globe needs CesiumJS (/cesium/Cesium.js, `make web`); without it the panels still work.
  try {
    gd.viewer = makeViewer();
    gd.viewer.clock.multiplier = SPEED;
    gd.clockBar = clockBar(gd.viewer, SPEED);
    player = new Player(gd.viewer, HIGH);
    return null;
  } catch (e) {
    gd.viewer = null;
    player = null;
    return `the globe could not start (${e.message}): is CesiumJS installed (make web)? Runs are listed, not drawn.`;
  }
}

async function main() {
  const noGlobe = startGlobe();
  gd.globe = !noGlobe;
  $("run-button").addEventListener("click", startRun);
  $("compare-button").addEventListener("click", compareSelected);
  $("tracks").addEventListener("change", showLayers);
  $("coverage").addEventListener("change", showLayers);
  if (params.get("coverage") === "0") $("coverage").checked = false;
  if (params.get("tracks") === "0") $("tracks").checked = false;
  await fillPickers();
  const runs = await refreshRuns();
  const first = params.get("run") || (runs[0] && runs[0].run_id);
  if (first) await selectRun(first);
  else if (!noGlobe) status("No runs stored yet: start one above.");
  if (noGlobe) status(noGlobe, true);
  gd.panels = true;  // pickers and runs filled
}

gd.ready = main().catch((e) => status(e.message, true));
