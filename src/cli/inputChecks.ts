// Checks on a command's input and output made before any work starts, so that
// an unusable recording or output path is refused with a message instead of
// producing seconds of noise or failing with a raw ENOENT after synthesis.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MEL_LOG_CEILING, MEL_LOG_FLOOR } from '../models/mel/melEdit';

/**
 * The lowest sample rate a WAV may have: below it a recording holds nothing the
 * 22050 Hz log-mel can use (the page has no such rule; 4000 Hz is telephone-band
 * speech halved).
 */
export const MIN_SAMPLE_RATE = 4000;

/** Why a WAV at `rate` Hz is refused; null when the rate is usable (or unknown). */
export function sampleRateProblem(name: string, rate: number | null): string | null {
  if (rate === null || rate >= MIN_SAMPLE_RATE) return null;
  return (
    `${name}: sample rate ${rate} Hz is too low ` +
    `(expected at least ${MIN_SAMPLE_RATE} Hz; the log-mel works at 22050 Hz)`
  );
}

/** Why `out` cannot be written: its folder is missing or is a file; null when it can. */
export function outFolderProblem(out: string): string | null {
  const folder = dirname(resolve(out));
  if (!existsSync(folder)) return `the folder of --out ${out} does not exist (${folder})`;
  if (!statSync(folder).isDirectory()) return `the folder of --out ${out} is a file (${folder})`;
  return null;
}

/** log-mel values below this are implausible: 5 nats under the silence floor ln(1e-5) */
export const MEL_PLAUSIBLE_MIN = MEL_LOG_FLOOR - 5;
/** log-mel values above this are implausible: 5 nats over the edit ceiling ln(100) */
export const MEL_PLAUSIBLE_MAX = MEL_LOG_CEILING + 5;

/**
 * A warning when a log-mel holds values the vocoder never saw (outside
 * [MEL_PLAUSIBLE_MIN, MEL_PLAUSIBLE_MAX]), with how many; null when all are plausible.
 */
export function melRangeWarning(name: string, data: Float32Array): string | null {
  let low = 0;
  let high = 0;
  let min = Infinity;
  let max = -Infinity;
  // compared in float32, the precision of the mel, so a bound itself is not flagged
  const lowest = Math.fround(MEL_PLAUSIBLE_MIN);
  const highest = Math.fround(MEL_PLAUSIBLE_MAX);
  for (const v of data) {
    if (v < lowest) low++;
    if (v > highest) high++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (low + high === 0) return null;
  const range = `[${MEL_PLAUSIBLE_MIN.toFixed(1)}, ${MEL_PLAUSIBLE_MAX.toFixed(1)}]`;
  return (
    `warning: ${name}: ${low + high} of ${data.length} log-mel values lie outside ${range} ` +
    `(${low} below, ${high} above; min ${min.toPrecision(3)}, max ${max.toPrecision(3)}); ` +
    'the model never saw such values and will likely synthesise noise'
  );
}
