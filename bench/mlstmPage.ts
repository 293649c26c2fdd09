// The page `semilab bench mlstm` opens in headless Chromium: the byte mLSTM
// featurizing a batch of reviews and generating greedily, on our WGSL
// (MlstmModel.featurize / generate) and on onnxruntime-web's WebGPU and wasm
// EPs looping public/models/mlstm/step.onnx over the bytes; PyTorch's times
// and outputs come from torch.json. Every time includes reading results back.
import * as ort from 'onnxruntime-web/webgpu';
import { acquireGpu } from '../src/engine/device';
import { MlstmModel, sampleByte } from '../src/models/mlstm/mlstm';
import type { MlstmInput } from './mlstmInputs';
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
} from './modelBench';

type Session = ort.InferenceSession;

/**
 * Final cell states [N, H] of `texts` by looping step.onnx over bytes, all
 * texts in one batch (`batched`) or one text at a time. Texts that have
 * ended keep their state, as MlstmModel.featurize does.
 */
async function ortFeaturize(
  session: Session,
  texts: Uint8Array[],
  hidden: number,
  batched: boolean,
): Promise<Float32Array> {
  const out = new Float32Array(texts.length * hidden);
  const groups = batched ? [texts.map((_, k) => k)] : texts.map((_, k) => [k]);
  for (const group of groups) {
    const n = group.length;
    const steps = Math.max(...group.map((k) => texts[k].length));
    let h: Float32Array = new Float32Array(n * hidden);
    let c: Float32Array = new Float32Array(n * hidden);
    for (let t = 0; t < steps; t++) {
      const bytes = Float32Array.from(group, (k) => texts[k][t] ?? 0);
      const result = await session.run(
        {
          byte: new ort.Tensor('float32', bytes, [n]),
          h: new ort.Tensor('float32', h, [n, hidden]),
          c: new ort.Tensor('float32', c, [n, hidden]),
        },
        ['h_next', 'c_next'],
      );
      const hn = result.h_next.data as Float32Array;
      const cn = result.c_next.data as Float32Array;
      const live = group.map((k) => t < texts[k].length);
      if (live.every(Boolean)) {
        h = hn;
        c = cn;
        continue;
      }
      const h2 = h.slice();
      const c2 = c.slice();
      live.forEach((alive, i) => {
        if (!alive) return;
        h2.set(hn.subarray(i * hidden, (i + 1) * hidden), i * hidden);
        c2.set(cn.subarray(i * hidden, (i + 1) * hidden), i * hidden);
      });
      h = h2;
      c = c2;
    }
    group.forEach((k, i) => out.set(c.subarray(i * hidden, (i + 1) * hidden), k * hidden));
  }
  return out;
}

/** As MlstmModel.generate at temperature 0: read `prefix`, then `steps` argmax bytes. */
async function ortGenerate(
  session: Session,
  prefix: Uint8Array,
  steps: number,
  hidden: number,
): Promise<Uint8Array> {
  let h: Float32Array = new Float32Array(hidden);
  let c: Float32Array = new Float32Array(hidden);
  let logits: Float32Array = new Float32Array(256);
  const feed = async (byte: number) => {
    const result = await session.run({
      byte: new ort.Tensor('float32', Float32Array.of(byte), [1]),
      h: new ort.Tensor('float32', h, [1, hidden]),
      c: new ort.Tensor('float32', c, [1, hidden]),
    });
    h = result.h_next.data as Float32Array;
    c = result.c_next.data as Float32Array;
    logits = result.logits.data as Float32Array;
  };
  for (const byte of prefix) await feed(byte);
  const out = new Uint8Array(steps);
  for (let k = 0; k < steps; k++) {
    out[k] = sampleByte(logits, 0, 0);
    if (k + 1 < steps) await feed(out[k]);
  }
  return out;
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
  const [configText, weights, onnx] = await Promise.all([
    fetchBytes('/models/mlstm/config.json'),
    fetchBytes('/models/mlstm/weights.safetensors'),
    fetchBytes('/models/mlstm/step.onnx'),
  ]);
  const loaded = MlstmModel.load(gpu, new TextDecoder().decode(configText), weights);
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

  for (const ep of ['webgpu', 'wasm']) {
    const path = `ORT ${ep}${ep === 'wasm' ? ` (${ort.env.wasm.numThreads} threads)` : ''}`;
    status.textContent = `${path}…`;
    let session: Session;
    try {
      session = await ort.InferenceSession.create(onnx, { executionProviders: [ep] });
    } catch (err) {
      row('featurize', path, { note: `failed: ${messageOf(err)}` });
      row('generate', path, { note: `failed: ${messageOf(err)}` });
      continue;
    }
    try {
      // step.onnx has a dynamic batch axis; fall back to one text at a time if it is fixed
      let batched = true;
      try {
        await ortFeaturize(session, texts.slice(0, 2), hidden, true);
      } catch {
        batched = false;
      }
      const t = await timeRuns(
        `featurize ${path}`,
        reps,
        () => ortFeaturize(session, texts, hidden, batched),
        budget,
      );
      row('featurize', path, {
        seconds: t.seconds,
        runs: t.runs,
        maxDiff: maxAbsDiff(t.last, feats.last),
        note: batched
          ? `batch ${texts.length}, h/c through the CPU each byte`
          : 'step.onnx is batch-1 here: one text at a time',
      });
    } catch (err) {
      row('featurize', path, { note: `failed: ${messageOf(err)}` });
    }
    try {
      const t = await timeRuns(
        `generate ${path}`,
        reps,
        () => ortGenerate(session, prefix, input.steps, hidden),
        budget,
      );
      row('generate', path, {
        seconds: t.seconds,
        runs: t.runs,
        agreement: greedyAgreement(gen.last, t.last),
      });
    } catch (err) {
      row('generate', path, { note: `failed: ${messageOf(err)}` });
    }
    await session.release();
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
    const note = String(torch.error ?? 'no result');
    row('featurize', 'PyTorch CPU', { note });
    row('generate', 'PyTorch CPU', { note });
  }
});
