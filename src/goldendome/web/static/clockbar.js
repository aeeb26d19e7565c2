/* goldendome globe: a light play bar in place of Cesium's Animation and Timeline widgets, which
 * restyle their SVG and DOM every frame (~10 % of a software-WebGL frame). Play/pause, a scrubber
 * over the run, the speed, and the time since the first launch, refreshed four times a second. */
"use strict";

const SPEEDS = [1, 10, 30, 60, 120, 300];

function clockBar(viewer, speed) {
  const clock = viewer.clock, J = Cesium.JulianDate, get = (id) => document.getElementById(id);
  const play = get("play"), scrub = get("scrub"), text = get("clock-text"), pick = get("speed");
  for (const s of new Set([...SPEEDS, speed].sort((a, b) => a - b))) pick.add(new Option(`${s}x`, String(s)));
  pick.value = String(speed);
  let dragging = false;
  const span = () => Math.max(J.secondsDifference(clock.stopTime, clock.startTime), 1e-9);
  const refresh = () => {
    const t = J.secondsDifference(clock.currentTime, clock.startTime);
    if (!dragging) scrub.value = String(Math.round((1000 * t) / span()));
    const m = Math.floor(Math.max(t, 0) / 60), s = Math.floor(Math.max(t, 0) % 60);
    text.textContent = `T+${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
    play.textContent = clock.shouldAnimate ? "❚❚" : "▶";
    play.title = clock.shouldAnimate ? "pause" : "play";
  };
  play.addEventListener("click", () => { clock.shouldAnimate = !clock.shouldAnimate; refresh(); viewer.scene.requestRender(); });
  pick.addEventListener("change", () => { clock.multiplier = Number(pick.value); });
  scrub.addEventListener("pointerdown", () => { dragging = true; });
  scrub.addEventListener("pointerup", () => { dragging = false; });
  scrub.addEventListener("input", () => {
    clock.currentTime = J.addSeconds(clock.startTime, (Number(scrub.value) / 1000) * span(), new J());
    refresh();
    viewer.scene.requestRender();
  });
  setInterval(refresh, 250);
  return refresh;
}
