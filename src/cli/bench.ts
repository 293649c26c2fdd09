import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatRows, type ModelBenchResult, type ModelRow } from '../../bench/modelBench';
import { benchCacheDir, runTorchPeer, type PeerResult } from '../../bench/modelPeer';
import { writeMlstmInputs } from '../../bench/mlstmInputs';
import { writeVocoderInputs } from '../../bench/vocoderInputs';
import { openProjectPage, projectRoot } from './browserPage';
import { parseArgs, positiveInt, type Command } from './command';
import { UsageError } from './cliInput';

interface KernelBenchResult {
  done: boolean;
  error?: string;
  adapter?: string;
  peakGflops?: number;
  table?: string;
}

const PAGE_TIMEOUT_MS = 30 * 60_000;

/** Opens a bench page, waits for window[name].done and returns window[name]. */
async function runPage<T extends { error?: string }>(path: string, name: string): Promise<T> {
  const page = await openProjectPage(path);
  try {
    await page.waitFor(`window.${name} && window.${name}.done`, PAGE_TIMEOUT_MS);
    const result = await page.evaluate<T>(`window.${name}`);
    if (result.error) throw new Error(result.error);
    return result;
  } finally {
    await page.close();
  }
}

async function kernels(quick: boolean, reps: number): Promise<string> {
  const scale = quick ? 'quick' : 'full';
  const result = await runPage<KernelBenchResult>(
    `/bench/kernels.html?scale=${scale}&reps=${reps}`,
    '__bench',
  );
  return [
    `adapter: ${result.adapter}`,
    `measured peak (fma probe): ${result.peakGflops?.toFixed(2)} GFLOP/s`,
    `median of ${reps} runs after one warm-up; times include one readback per run on every path`,
    '',
    result.table ?? '',
  ].join('\n');
}

interface ModelOptions {
  quick: boolean;
  reps: number;
  /** seconds of timed runs per path before it stops early */
  budget: number;
  dataDir: string;
  options: Map<string, string>;
}

function pageUrl(name: string, dir: string, o: ModelOptions): string {
  const q = new URLSearchParams({ dir, reps: String(o.reps), budget: String(o.budget) });
  return `/bench/${name}.html?${q}`;
}

function header(result: ModelBenchResult, o: ModelOptions, lines: string[]): string[] {
  return [
    `adapter: ${result.adapter} (every WebGPU path in the same Chromium page)`,
    ...lines,
    ...result.notes,
    `median of up to ${o.reps} runs after one warm-up (fewer once a path's runs pass ` +
      `${o.budget} s); times include uploading inputs and reading results back`,
    '',
  ];
}

/** The line saying what the PyTorch peer made, or why its rows are skipped. */
function peerLine(peer: PeerResult, graph: string): string {
  if (!peer.ok) {
    return `PyTorch: ${peer.reason}; the PyTorch and exported-ONNX rows are skipped`;
  }
  const fresh = typeof peer.value.exportSeconds === 'number';
  return (
    `ONNX "exported": ${graph} exported by bench/torch_peer.py from PyTorch ` +
    `${String(peer.value.torch)} (${fresh ? 'exported now' : 'cached'}, ` +
    'node_modules/.cache/semilab/bench)'
  );
}

/** Rows grouped by task, in the order the page measured them. */
function byTask(rows: ModelRow[]): ModelRow[] {
  const tasks = [...new Set(rows.map((r) => r.task))];
  return tasks.flatMap((t) => rows.filter((r) => r.task === t));
}

const BUILT_LINE =
  'ONNX "TS-built": the graph the page builds from the loaded weights for its wasm ' +
  'fallback (src/models/*Onnx.ts), run by the bench page on its onnxruntime-web';

async function vocoder(root: string, o: ModelOptions): Promise<string> {
  const modelDir = join(root, 'public', 'models', 'waveglow');
  const dir = benchCacheDir(root, 'vocoder');
  // NOTE: 1 s (87 frames) takes ours ~10 min a run on loaded SwiftShader: --frames 87 to ask
  const frames = Number(o.options.get('frames') ?? (o.quick ? 8 : 22));
  const input = await writeVocoderInputs(modelDir, o.dataDir, dir, frames, 0.6);
  const peer = runTorchPeer(root, 'vocoder', modelDir, dir, o.reps);
  const result = await runPage<ModelBenchResult>(pageUrl('vocoder', dir, o), '__modelBench');
  return [
    ...header(result, o, [
      `model: public/models/waveglow (${input.nGroup} groups; WGSL: weights.safetensors)`,
      peerLine(peer, 'the whole synthesis'),
      BUILT_LINE,
      `mel: [${input.nMel}, ${input.frames}] from ${input.melSource}; noise: seeded ` +
        `gaussianNoise(1) [${input.nGroup}, ${input.groups}]`,
    ]),
    formatRows(result.rows, 'samples', input.sampleRate),
  ].join('\n');
}

async function mlstm(root: string, o: ModelOptions): Promise<string> {
  const modelDir = join(root, 'public', 'models', 'mlstm');
  const dir = benchCacheDir(root, 'mlstm');
  const count = Number(o.options.get('texts') ?? (o.quick ? 8 : 32));
  const steps = Number(o.options.get('steps') ?? (o.quick ? 16 : 64));
  const input = writeMlstmInputs(o.dataDir, dir, count, steps);
  const peer = runTorchPeer(root, 'mlstm', modelDir, dir, o.reps);
  const result = await runPage<ModelBenchResult>(pageUrl('mlstm', dir, o), '__modelBench');
  return [
    ...header(result, o, [
      'model: public/models/mlstm (WGSL: weights.safetensors)',
      peerLine(peer, 'one recurrent step (training/mlstm/export.py Step)'),
      BUILT_LINE,
      `featurize: ${input.texts.length} texts, ${input.bytes} bytes (longest ${input.longest}), ` +
        `${input.textSource}; final cell state; bytes/s counts real bytes`,
      `generate: ${input.steps} greedy bytes after ${JSON.stringify(input.prefix)}, batch 1; ` +
        'time includes reading the prefix',
    ]),
    formatRows(byTask(result.rows), 'bytes'),
  ].join('\n');
}

const SHARED_OPTIONS = ['quick', 'reps', 'out'];
/** the options each benchmark reads; any other is refused before the page opens */
const BENCH_OPTIONS: Record<string, readonly string[]> = {
  kernels: SHARED_OPTIONS,
  vocoder: [...SHARED_OPTIONS, 'budget', 'data', 'frames'],
  mlstm: [...SHARED_OPTIONS, 'budget', 'data', 'texts', 'steps'],
};

export const benchCommand: Command = {
  name: 'bench',
  summary:
    'benchmark our WGSL against onnxruntime-web (WebGPU, wasm; exported and TS-built ' +
    'graphs) and PyTorch',
  usage:
    'semilab bench kernels|vocoder|mlstm [--quick] [--reps N] [--out FILE.md] ' +
    '[--budget SECONDS] [--data DIR] [--frames F (vocoder)] [--texts N --steps N (mlstm)]',
  async run(args) {
    const which = parseArgs(args).positional[0];
    const known = which && Object.hasOwn(BENCH_OPTIONS, which) ? BENCH_OPTIONS[which] : null;
    if (!known) {
      if (which !== undefined) console.error(`semilab bench: unknown benchmark '${which}'`);
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const { positional, options } = parseArgs(args, known);
    if (positional.length > 1) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const quick = options.has('quick');
    const reps = positiveInt(options, 'reps', 3);
    for (const key of ['frames', 'texts', 'steps']) positiveInt(options, key, 1);
    const budget = options.get('budget');
    if (budget !== undefined && !(Number(budget) > 0 && Number.isFinite(Number(budget)))) {
      throw new UsageError(`--budget must be a positive number of seconds (got ${budget})`);
    }
    const started = performance.now();
    let text: string;
    if (which === 'kernels') {
      text = await kernels(quick, reps);
    } else {
      const root = projectRoot();
      const o: ModelOptions = {
        quick,
        reps,
        budget: Number(options.get('budget') ?? (quick ? 10 : 150)),
        dataDir: options.get('data') ?? join(root, '..', 'shared', 'data'),
        options,
      };
      text = await (which === 'vocoder' ? vocoder(root, o) : mlstm(root, o));
      const wall = ((performance.now() - started) / 1000).toFixed(0);
      text += `\n\nwall time of the whole command: ${wall} s`;
    }
    console.log(text);
    const out = options.get('out');
    if (out) writeFileSync(out, `${text}\n`);
    return 0;
  },
};
