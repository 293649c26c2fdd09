// What the model benches (`semilab bench vocoder`, `semilab bench mlstm`)
// share between their pages and the CLI: timing, agreement and the result
// each page leaves in window.__modelBench for the CLI to print.

/** One measured path (ours, an onnxruntime-web EP, PyTorch) on one task. */
export interface ModelRow {
  task: string;
  path: string;
  /** median seconds; null when the path could not run (see `note`) */
  seconds: number | null;
  /** timed runs behind the median (after one warm-up); 0: the warm-up's time */
  runs: number;
  /** work units of one run (audio samples, bytes) */
  units: number;
  /** largest |path - ours| over the outputs; null for ours or where not comparable */
  maxDiff: number | null;
  /** e.g. greedy bytes that agree with ours */
  agreement?: string;
  note?: string;
}

export interface ModelBenchResult {
  done: boolean;
  error?: string;
  adapter?: string;
  /** lines printed above the table (inputs, sizes) */
  notes: string[];
  rows: ModelRow[];
}

declare global {
  interface Window {
    __modelBench: ModelBenchResult;
  }
}

export interface Timing<T> {
  seconds: number;
  runs: number;
  last: T;
}

/**
 * Median seconds of up to `reps` runs after one warm-up. Stops early (after at
 * least one timed run) once the timed runs exceed `budgetSeconds`, so a slow
 * path cannot hold the whole bench; `runs` says how many were timed, 0 when
 * the warm-up alone exceeded the budget (its time, compilation included, is
 * returned: an upper bound).
 */
export async function timeRuns<T>(
  label: string,
  reps: number,
  run: () => Promise<T>,
  budgetSeconds = Infinity,
): Promise<Timing<T>> {
  const timed = async (what: string): Promise<[T, number]> => {
    const start = performance.now();
    const out = await run();
    const s = (performance.now() - start) / 1000;
    // progress on the CLI's stderr (it echoes the page's warnings)
    console.warn(`[bench] ${label}: ${what} ${s.toFixed(2)} s`);
    return [out, s];
  };
  let [last, warm] = await timed('warm-up'); // pipeline compilation, allocation
  // a path slower than the budget is not run again: its warm-up stands as an upper bound
  if (warm > budgetSeconds) return { seconds: warm, runs: 0, last };
  const times: number[] = [];
  let spent = 0;
  for (let r = 0; r < Math.max(1, reps); r++) {
    const [out, s] = await timed(`run ${r + 1}`);
    last = out;
    times.push(s);
    spent += s;
    if (spent > budgetSeconds) break;
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], runs: times.length, last };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** "k/n" bytes equal from the start (greedy decoding diverges for good after a tie). */
export function greedyAgreement(ours: ArrayLike<number>, peer: ArrayLike<number>): string {
  let same = 0;
  while (same < ours.length && same < peer.length && ours[same] === peer[same]) same++;
  return `${same}/${ours.length}`;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** URL of an absolute file path through Vite's /@fs/ route (files under the project root). */
export function fsUrl(path: string): string {
  return `/@fs${path.startsWith('/') ? '' : '/'}${path}`;
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  const type = response.headers.get('content-type') ?? '';
  // NOTE: Vite answers a missing file with index.html and status 200
  if (!response.ok || type.includes('text/html')) {
    throw new Error(`${url} could not be fetched (HTTP ${response.status}, ${type || 'no type'})`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

export async function fetchF32(url: string): Promise<Float32Array> {
  const bytes = await fetchBytes(url);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

export async function fetchJson<T>(url: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await fetchBytes(url))) as T;
}

/** Runs a bench page's `main`, recording its outcome in window.__modelBench. */
export function runBenchPage(main: (result: ModelBenchResult) => Promise<void>): void {
  const status = document.getElementById('status')!;
  window.__modelBench = { done: false, notes: [], rows: [] };
  main(window.__modelBench)
    .then(() => {
      status.textContent = 'done';
    })
    .catch((err) => {
      window.__modelBench.error = messageOf(err);
      status.textContent = `failed: ${window.__modelBench.error}`;
    })
    .finally(() => {
      window.__modelBench.done = true;
    });
}

/** A fixed-width markdown table. */
export function markdownTable(header: string[], lines: string[][]): string {
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i].length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    fmt(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(fmt),
  ].join('\n');
}

function fmtNumber(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

/**
 * Rows of one task as a table: throughput in `unit`/s, the real-time factor
 * when `unitsPerSecondOfAudio` is given, the speed-up of ours over each path,
 * and agreement with ours.
 */
export function formatRows(rows: ModelRow[], unit: string, unitsPerSecondOfAudio?: number): string {
  const header = [
    'task',
    'path',
    `${unit}/s`,
    ...(unitsPerSecondOfAudio ? ['RTF (audio s / compute s)'] : []),
    'median s',
    'runs',
    'ours speed-up',
    'max |diff| vs ours',
    'note',
  ];
  const lines = rows.map((r) => {
    const ours = rows.find((o) => o.task === r.task && o.path.startsWith('ours'));
    const rate = r.seconds ? r.units / r.seconds : null;
    const cells = [
      r.task,
      r.path,
      rate == null ? '-' : fmtNumber(rate),
      ...(unitsPerSecondOfAudio
        ? [rate == null ? '-' : (rate / unitsPerSecondOfAudio).toPrecision(3)]
        : []),
      r.seconds == null ? '-' : r.seconds.toFixed(3),
      r.seconds == null ? '-' : r.runs === 0 ? '0 (warm-up only)' : String(r.runs),
      r === ours || r.seconds == null || !ours?.seconds
        ? '-'
        : `${fmtNumber(r.seconds / ours.seconds)}x`,
      r.maxDiff == null ? '-' : r.maxDiff.toExponential(2),
      [r.agreement ? `greedy bytes equal: ${r.agreement}` : '', r.note ?? '']
        .filter(Boolean)
        .join('; '),
    ];
    return cells;
  });
  return markdownTable(header, lines);
}
