/* goldendome globe: the Player that draws a stored run's scene document (GET /api/runs/{id}/scene) on CesiumJS.
 * Sized for software WebGL (SwiftShader in headless Chromium), where every draw command and every
 * blended pixel costs: all points (objects, satellites, interceptors, sites, kill and leak rings) are
 * ONE opaque PointPrimitiveCollection moved from typed arrays once per clock tick (linear
 * interpolation between the replay's samples), not one entity per object or sample; RV ground tracks
 * and radar coverage fans are two static opaque line primitives (tracks thinned to <= TRACK_VERTICES
 * vertices: a 60 s chord of a ballistic arc sags < 3 km); interceptor fly-outs one PolylineCollection
 * whose lines grow from the launcher with the interceptor and stay a while after intercept; asset
 * names and why-it-leaked notes show only when the camera is within LABEL_RANGE_M. ?quality=high restores translucent fills. */
"use strict";

const TRACK_VERTICES = 40;
const LABEL_RANGE_M = 9.0e6;
const DIM = 0.55;  // opaque lines take their colour at this brightness instead of blending at alpha 0.35-0.45

function opaque(color, k = 1) {
  return new Cesium.Color(color.red * k, color.green * k, color.blue * k, 1.0);
}

function lerp(x, a, f, out) {
  // Point f of the way from sample a/3 to the next of a flat xyz array, into `out`.
  out.x = x[a] + f * (x[a + 3] - x[a]); out.y = x[a + 1] + f * (x[a + 4] - x[a + 1]);
  out.z = x[a + 2] + f * (x[a + 5] - x[a + 2]);
  return out;
}

function thin(cart, most) {
  // Every k-th position (first and last kept) so that at most `most` remain.
  const k = Math.max(1, Math.ceil((cart.length - 1) / (most - 1)));
  const out = cart.filter((_, i) => i % k === 0);
  if ((cart.length - 1) % k) out.push(cart[cart.length - 1]);
  return out;
}

function linePrimitive(lines, high) {
  // [[positions, color, arcType]] as 1-pixel GL lines in one static primitive: one draw call.
  const instances = lines.map(([positions, color, arcType]) => new Cesium.GeometryInstance({
    geometry: new Cesium.SimplePolylineGeometry({ positions, arcType }),
    attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(color) } }));
  if (!instances.length) return new Cesium.PrimitiveCollection();
  return new Cesium.Primitive({ geometryInstances: instances, asynchronous: false,
    appearance: new Cesium.PerInstanceColorAppearance({ flat: true, translucent: high }) });
}

class Player {
  constructor(viewer, high) {
    this.viewer = viewer;
    this.high = high;
    this.layer = null;
    this.items = [];
    this.dataSource = null;
    this.removeTick = null;
  }

  clear() {
    if (this.removeTick) this.removeTick();
    if (this.removeCamera) this.removeCamera();
    if (this.layer) this.viewer.scene.primitives.remove(this.layer);
    if (this.dataSource) this.viewer.dataSources.remove(this.dataSource, true);
    this.layer = null; this.items = []; this.sats = []; this.flights = []; this.dataSource = null;
    this.removeTick = null; this.removeCamera = null;
  }

  load(scene) {
    this.clear();
    this.scene = scene;
    this.epoch = Cesium.JulianDate.fromIso8601(scene.epoch);
    this.layer = this.viewer.scene.primitives.add(new Cesium.PrimitiveCollection());
    this.dots = this.layer.add(new Cesium.PointPrimitiveCollection({ blendOption: Cesium.BlendOption.OPAQUE }));
    this.trackLines = [];
    this.labels = this.layer.add(new Cesium.LabelCollection());
    for (const o of scene.objects) this.addMover(o);
    for (const s of scene.satellites || []) this.addSat(s);
    this.tracks = this.layer.add(linePrimitive(this.trackLines, false));
    this.fans = this.layer.add(this.fanPrimitive(scene.coverage || []));
    this.addFlyouts(scene.flyouts || [], scene.flyout_linger_s || 60);
    this.addSites(scene.sites);
    this.setClock(scene.t0_s, scene.t_end_s);
    this.lookAt(scene);
    Object.assign(gd.stats, { objects: this.items.length, satellites: this.sats.length, flyouts: this.flights.length,
      coverage: (scene.coverage || []).reduce((n, c) => n + c.rings.length, 0) });
    this.removeTick = this.viewer.clock.onTick.addEventListener((clock) => this.tick(clock));
    this.tick(this.viewer.clock);
  }

  addMover(o) {
    if (!o.pos.length) return;
    const [cart, xyz] = Player.cartesians(o.pos);
    const color = opaque(Cesium.Color.fromBytes(...o.color));
    const point = this.dot(cart[0], color, o.kind === "rv" ? 6 : 4);
    const dt = this.scene.dt_s, tFirst = this.scene.t0_s + o.i0 * dt;
    const tLast = tFirst + (cart.length - 1) * dt;
    const killed = o.kill_time_s != null && (o.p_killed || 0) >= 0.5;
    const item = { i0: o.i0, n: cart.length, xyz, point, hideAt: killed ? Math.min(o.kill_time_s, tLast) : tLast };
    if (killed) item.mark = this.ring(this.at(item, o.kill_time_s), "#ffeb3b", o.kill_time_s);
    if ((o.p_leak || 0) >= 0.5) {
      item.mark = this.ring(cart[cart.length - 1], "#ff1744", tLast);
      // Why it leaked, at its impact (shown from impact on, near the ground like the asset names).
      if (o.why) item.note = this.labels.add({ position: cart[cart.length - 1], show: false,
        text: `${o.kind} ${o.id} leaked ${Math.round(100 * o.p_leak)}%: ${o.why}`, font: "11px sans-serif",
        fillColor: Cesium.Color.fromCssColorString("#ff8a80"), pixelOffset: new Cesium.Cartesian2(8, 8) });
    }
    if (o.kind === "rv" && cart.length > 1) this.trackLines.push([thin(cart, TRACK_VERTICES), opaque(color, DIM), Cesium.ArcType.NONE]);
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
    const point = this.dot(cart[0], opaque(Cesium.Color.fromBytes(...s.color)), 3);
    this.sats.push({ i0: s.i0, n: cart.length, xyz, point, every: s.every || 1 });
  }

  fanPrimitive(fans) {
    // Radar coverage: every face's ground sector as an outline; the translucent fill only at
    // ?quality=high: overlapping fills of 5,000 km fans cost software WebGL half its frame rate.
    const lines = [], fills = [], out = new Cesium.PrimitiveCollection();
    for (const f of fans) {
      const color = Cesium.Color.fromBytes(...f.color);
      for (const ring of f.rings) {
        if (ring.length < 6) continue;
        const pts = Cesium.Cartesian3.fromDegreesArray(ring);
        if (this.high) fills.push(new Cesium.GeometryInstance({
          geometry: new Cesium.PolygonGeometry({ polygonHierarchy: new Cesium.PolygonHierarchy(pts), height: 1000 }),
          attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(color) } }));
        lines.push([pts.concat([pts[0]]), opaque(color, DIM), Cesium.ArcType.GEODESIC]);
      }
    }
    if (fills.length) out.add(new Cesium.Primitive({ geometryInstances: fills, asynchronous: false,
      appearance: new Cesium.PerInstanceColorAppearance({ flat: true, translucent: true }) }));
    if (lines.length) out.add(linePrimitive(lines, false));
    return out;
  }

  addFlyouts(flyouts, linger) {
    // Launcher -> intercept arcs: the line grows behind the interceptor from launch and stays `linger` s after intercept.
    this.flyLines = this.layer.add(new Cesium.PolylineCollection());
    for (const f of flyouts) {
      const [cart, xyz] = Player.cartesians(f.pos);
      const color = opaque(Cesium.Color.fromBytes(...f.color));
      const line = this.flyLines.add({ positions: cart, width: 1.5, show: false,
        material: Cesium.Material.fromType("Color", { color }) });
      const point = this.dot(cart[0], color, 4);
      this.flights.push({ t0: f.launch_s, t1: f.intercept_s, tOff: f.intercept_s + linger, n: cart.length, xyz, line,
        point, cart, grown: -1 });
    }
  }

  dot(position, color, pixelSize) {
    // Drawn without blending: the anti-aliased rim takes the outline colour, so the outline is the fill.
    return this.dots.add({ position, color, outlineColor: color, pixelSize, show: false });
  }

  ring(position, css, t) {
    // Opaque collection: the transparent fill is discarded, the outline drawn.
    return { point: this.dots.add({ position, pixelSize: 9, color: Cesium.Color.TRANSPARENT, show: false,
      outlineColor: Cesium.Color.fromCssColorString(css), outlineWidth: 2 }), t };
  }

  at(item, t) {
    // Position at scenario time t by linear interpolation between samples (ECEF, m).
    const kf = Math.min(Math.max((t - this.scene.t0_s) / this.scene.dt_s - item.i0, 0), item.n - 1);
    const k = Math.min(Math.floor(kf), item.n - 2), f = kf - k, x = item.xyz;
    if (item.n < 2) return new Cesium.Cartesian3(x[0], x[1], x[2]);
    return lerp(x, 3 * Math.max(k, 0), f, new Cesium.Cartesian3());
  }

  addSites(sites) {
    const labels = this.labels;
    for (const s of sites) {
      const position = Cesium.Cartesian3.fromDegrees(s.lon_deg, s.lat_deg, 0);
      this.dots.add({ position, pixelSize: s.kind === "asset" ? 7 : 8, color: Cesium.Color.fromBytes(...s.color),
        outlineColor: Cesium.Color.BLACK, outlineWidth: 1 });
      if (s.kind === "asset") {
        labels.add({ position, text: s.name, font: "11px sans-serif", fillColor: Cesium.Color.WHITE,
          pixelOffset: new Cesium.Cartesian2(8, -8), showBackground: false });
      }
    }
    // Names only near the ground: a label collection is a draw command of its own even when its labels are culled.
    const camera = this.viewer.camera, near = () => { labels.show = camera.positionCartographic.height < LABEL_RANGE_M; };
    camera.percentageChanged = 0.1;  // camera.changed after a 10 % move, not Cesium's default 50 %
    near();
    this.removeCamera = camera.changed.addEventListener(near);
  }

  lookAt(scene) {
    // Camera above the mean of launch points, aim points and sites (unit vectors: safe across the date line).
    const sum = new Cesium.Cartesian3(), pts = [];
    for (const o of scene.objects) if (o.pos.length) pts.push([o.pos[0], o.pos[1]], [o.pos[o.pos.length - 3], o.pos[o.pos.length - 2]]);
    for (const s of scene.sites) pts.push([s.lon_deg, s.lat_deg]);
    for (const [lon, lat] of pts) Cesium.Cartesian3.add(sum, Cesium.Cartesian3.fromDegrees(lon, lat, 0), sum);
    if (!pts.length || Cesium.Cartesian3.magnitude(sum) < 1) return;
    const c = Cesium.Cartographic.fromCartesian(Cesium.Cartesian3.normalize(sum, sum), Cesium.Ellipsoid.UNIT_SPHERE);
    this.viewer.camera.setView({ destination: Cesium.Cartesian3.fromRadians(c.longitude, c.latitude, 1.5e7) });
  }

  setClock(t0, tEnd) {
    const clock = this.viewer.clock, J = Cesium.JulianDate;
    clock.startTime = J.addSeconds(this.epoch, t0, new J());
    clock.stopTime = J.addSeconds(this.epoch, tEnd, new J());
    clock.currentTime = clock.startTime.clone();
    clock.clockRange = Cesium.ClockRange.LOOP_STOP;
    clock.shouldAnimate = true;
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
      if (it.note) { const m = t >= it.mark.t; if (it.note.show !== m) it.note.show = m; }
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
      if (it.point.show !== flying) it.point.show = flying;
      if (!line) continue;
      const kf = Math.min(((t - it.t0) / Math.max(it.t1 - it.t0, 1e-6)) * (it.n - 1), it.n - 1);
      const k = Math.min(Math.floor(kf), it.n - 2), grown = flying ? k : it.n - 1;
      if (flying) it.point.position = lerp(it.xyz, 3 * k, kf - k, pos);
      if (it.grown === grown) continue;
      // The line reaches the last sample the interceptor passed, with the same number of positions
      // every time (the rest sit there): the collection rewrites this line in place, n times a flight.
      it.line.positions = it.cart.map((_, i) => it.cart[Math.min(i, grown)]);
      it.grown = grown;
    }
  }
}
Player.scratch = new Cesium.Cartesian3();
