// The page `semilab bench mlstm` opens in headless Chromium: the byte mLSTM
// featurizing a batch of reviews and generating greedily, on our WGSL
// (MlstmModel.featurize / generate) and on onnxruntime-web's WebGPU and wasm
// EPs running two graphs: the one-step ONNX that torch_peer.py exports from
// PyTorch (cached, never committed) and the studio's own TS-built step + head
// (mlstmOnnx.ts), the graphs the page's wasm fallback (MlstmWasm) runs, here
// driven by the bench's loop on this page's one onnxruntime-web. PyTorch's
// times and outputs come from torch.json. Every time includes reading results back.
import * as ort from 'onnxruntime-web/webgpu';
import { acquireGpu } from '../src/engine/device';
import { parseMlstmConfig } from '../src/models/mlstm/config';
import { MlstmModel } from '../src/models/mlstm/mlstm';
import { buildMlstmHeadOnnx, buildMlstmStepOnnx } from '../src/models/mlstm/mlstmOnnx';
import { parseMlstmWeights } from '../src/models/mlstm/weights';
import type { MlstmInput } from './mlstmInputs';
import {
  builtStepGraph,
  exportedStepGraph,
  featurizeOnGraph,
  generateOnGraph,
  type StepGraph,
} from './mlstmStepLoops';
import {
  fetchBytes,
  fetchF32,
  fetchJson,
  fsUrl,
  greedyAgreement,
  maxAbsDiff,
  messageOf,
  runBenchPage,
  timeRuns,
  type ModelRow,
  type Timing,
} from './modelBench';

/** What each path does, timed: final cell states [N, H] and greedy bytes. */
interface MlstmPath {
  featurize(): Promise<Float32Array>;
  generate(): Promise<Uint8Array>;
  featurizeNote?: string;
  release(): Promise<void>;
}

function printable(bytes: ArrayLike<number>): string {
  return JSON.stringify(new TextDecoder().decode(Uint8Array.from(bytes)));
}

runBenchPage(async (result) => {
  const params = new URLSearchParams(location.search);
  const dir = params.get('dir') ?? '';
  const reps = Number(params.get('reps') ?? 3);
  const budget = Number(params.get('budget') ?? 60);
  const status = document.getElementById('status')!;
  ort.env.wasm.numThreads = navigator.hardwareConcurrency;

  const input = await fetchJson<MlstmInput>(fsUrl(`${dir}/input.json`));
  const torch = await fetchJson<Record<string, unknown>>(fsUrl(`${dir}/torch.json`));
  const encoder = new TextEncoder();
  const texts = input.texts.map((t) => encoder.encode(t));
  const prefix = encoder.encode(input.prefix);
  const row = (task: string, path: string, fields: Partial<ModelRow>): ModelRow => {
    const units = task === 'featurize' ? input.bytes : input.steps;
    const r: ModelRow = { task, path, seconds: null, runs: 0, units, maxDiff: null, ...fields };
    result.rows.push(r);
    return r;
  };

  const acquired = await acquireGpu(navigator.gpu);
  if (!acquired.ok) throw new Error(acquired.error.message);
  const gpu = acquired.value;
  result.adapter = gpu.profile.name;

  status.textContent = 'ours…';
  const [configBytes, weights] = await Promise.all([
    fetchBytes('/models/mlstm/config.json'),
    fetchBytes('/models/mlstm/weights.safetensors'),
  ]);
  const configText = new TextDecoder().decode(configBytes);
  const loaded = MlstmModel.load(gpu, configText, weights);
  if (!loaded.ok) throw new Error(loaded.error);
  const model = loaded.value;
  const hidden = model.hidden;
  const feats = await timeRuns(
    'featurize ours',
    reps,
    async () => {
      const f = model.featurize(texts);
      const data = await f.read();
      f.dispose();
      return data;
    },
    budget,
  );
  const gen = await timeRuns(
    'generate ours',
    reps,
    () => model.generate(prefix, { steps: input.steps, temperature: 0 }),
    budget,
  );
  model.dispose();
  row('featurize', 'ours (WGSL)', { seconds: feats.seconds, runs: feats.runs });
  row('generate', 'ours (WGSL)', { seconds: gen.seconds, runs: gen.runs });
  result.notes.push(
    `greedy continuation of ${JSON.stringify(input.prefix)}: ${printable(gen.last)}`,
  );

  /** Times one path on both tasks and adds its two rows; a failure becomes a note. */
  const measure = async (path: string, open: () => Promise<MlstmPath>) => {
    status.textContent = `${path}…`;
    let p: MlstmPath;
    try {
      p = await open();
    } catch (err) {
      row('featurize', path, { note: `failed: ${messageOf(err)}` });
      row('generate', path, { note: `failed: ${messageOf(err)}` });
      return;
    }
    try {
      const t: Timing<Float32Array> = await timeRuns(
        `featurize ${path}`,
        reps,
        p.featurize,
        budget,
      );
      row('featurize', path, {
        seconds: t.seconds,
        runs: t.runs,
        maxDiff: maxAbsDiff(t.last, feats.last),
        note: p.featurizeNote,
      });
    } catch (err) {
      row('featurize', path, { note: `failed: ${messageOf(err)}` });
    }
    try {
      const t = await timeRuns(`generate ${path}`, reps, p.generate, budget);
      row('generate', path, {
        seconds: t.seconds,
        runs: t.runs,
        agreement: greedyAgreement(gen.last, t.last),
      });
    } catch (err) {
      row('generate', path, { note: `failed: ${messageOf(err)}` });
    }
    await p.release();
  };

  /** A StepGraph as a path; probes whether the batch axis is dynamic first. */
  const onGraph = async (graph: StepGraph, what: string): Promise<MlstmPath> => {
    let batched = true;
    try {
      await featurizeOnGraph(graph, texts.slice(0, 2), true);
    } catch {
      batched = false;
    }
    return {
      featurize: () => featurizeOnGraph(graph, texts, batched),
      generate: () => generateOnGraph(graph, prefix, input.steps),
      featurizeNote: batched
        ? `${what}; batch ${texts.length}, h/c through the CPU each byte`
        : `${what}; batch-1 graph here: one text at a time`,
      release: () => graph.release(),
    };
  };

  // ---- the PyTorch export (torch_peer.py), when PyTorch could make one
  const onnxPath = typeof torch.onnx === 'string' ? torch.onnx : null;
  const exported = onnxPath ? await fetchBytes(fsUrl(onnxPath)) : null;
  for (const ep of ['webgpu', 'wasm']) {
    const threads = ep === 'wasm' ? ` (${ort.env.wasm.numThreads} threads)` : '';
    const path = `ORT ${ep}${threads}, exported`;
    if (!exported) {
      const note = `skipped, no exported ONNX: ${String(torch.error ?? 'torch_peer.py made none')}`;
      row('featurize', path, { note });
      row('generate', path, { note });
      continue;
    }
    await measure(path, async () => {
      const session = await ort.InferenceSession.create(exported, { executionProviders: [ep] });
      return onGraph(exportedStepGraph(ort, session, hidden), 'PyTorch step.onnx');
    });
  }

  // ---- the studio's TS-built graph (what the page's wasm fallback runs)
  const config = parseMlstmConfig(configText);
  if (!config.ok) throw new Error(config.error);
  const arrays = parseMlstmWeights(weights, config.value);
  if (!arrays.ok) throw new Error(arrays.error);
  for (const ep of ['webgpu', 'wasm']) {
    const threads = ep === 'wasm' ? ` (${ort.env.wasm.numThreads} threads)` : '';
    await measure(`ORT ${ep}${threads}, TS-built`, async () => {
      const options = { executionProviders: [ep] };
      // NOTE: one at a time: the WebGPU EP refuses a second session while one is being created
      const step = await ort.InferenceSession.create(
        buildMlstmStepOnnx(config.value, arrays.value),
        options,
      );
      const head = await ort.InferenceSession.create(
        buildMlstmHeadOnnx(config.value, arrays.value),
        options,
      );
      return onGraph(builtStepGraph(ort, step, head, hidden), 'TS-built step + head');
    });
  }

  const torchName = `PyTorch ${String(torch.torch)} CPU (${String(torch.threads)} threads)`;
  if (typeof torch.featurizeSeconds === 'number') {
    const peer = await fetchF32(fsUrl(`${dir}/torch_features.f32`));
    row('featurize', torchName, {
      seconds: torch.featurizeSeconds,
      runs: Number(torch.runs),
      maxDiff: maxAbsDiff(peer, feats.last),
      note: 'batched, padded',
    });
    row('generate', torchName, {
      seconds: Number(torch.generateSeconds),
      runs: Number(torch.runs),
      agreement: greedyAgreement(gen.last, torch.generated as number[]),
    });
  } else {
    const note = `skipped: ${String(torch.error ?? 'no result')}`;
    row('featurize', 'PyTorch CPU', { note });
    row('generate', 'PyTorch CPU', { note });
  }
});
