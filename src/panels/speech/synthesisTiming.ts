// Where a synthesis job's time went. The job card's time also covers loading the
// model (and timing the backends on first use) and the result's own log-mel, so
// the panel's "compute" figure alone would leave two unexplained times.

export interface SynthesisTimes {
  /** WaveGlow's own compute, ms */
  computeMs: number;
  /** getting the model in this job: loading it, and timing the backends on first use, ms */
  prepareMs: number;
  /** the result's own log-mel, ms (null while it is computed) */
  logMelMs: number | null;
  /** the job card's time (end - start), ms (null until the job has ended) */
  jobMs: number | null;
}

function s(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Where the job's time went besides the compute, e.g. "job 20.9 s: 16.0 s loading the
 * model (and, on first use, timing the backends) + 3.8 s compute + 1.0 s the result's
 * log-mel".
 */
export function jobTimeNote(t: SynthesisTimes): string {
  const loaded = t.prepareMs < 50;
  const prepare = `${s(t.prepareMs)} loading the model (and, on first use, timing the backends)`;
  if (t.jobMs === null || t.logMelMs === null) {
    return `${loaded ? '' : `the job also spent ${prepare}; `}computing the result's log-mel…`;
  }
  const parts = [
    loaded ? 'model already loaded' : prepare,
    `${s(t.computeMs)} compute`,
    `${s(t.logMelMs)} the result's log-mel`,
  ];
  // what no figure covers: the job runner, page updates between chunks, playback
  const rest = t.jobMs - t.prepareMs - t.computeMs - t.logMelMs;
  if (rest >= 50) parts.push(`${s(rest)} other`);
  return `job ${s(t.jobMs)}: ${parts.join(' + ')}`;
}
