// How fast a synthesis ran, in words. vocoderCore's `rtf` is audio seconds per
// compute second (higher is faster), the inverse of the usual real-time factor
// (compute / audio, lower is faster), so the page never prints it bare: it says
// "N x real time" and how much compute a second of audio took.

/** A positive figure with about two significant digits (0.021, 0.50, 2.00, 12.5, 130). */
export function figure(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 0.1) return v.toFixed(2);
  return v.toPrecision(2);
}

/** How fast against real time: "0.50x real time". `speed` = audio s / compute s. */
export function realTimeMultiple(speed: number): string {
  return Number.isFinite(speed) && speed > 0 ? `${figure(speed)}x real time` : '–';
}

/** "0.50x real time (2.00 s of compute per s of audio)"; `speed` = audio s / compute s. */
export function speedText(speed: number): string {
  if (!Number.isFinite(speed) || speed <= 0) return 'speed not measured yet';
  return `${realTimeMultiple(speed)} (${figure(1 / speed)} s of compute per s of audio)`;
}
