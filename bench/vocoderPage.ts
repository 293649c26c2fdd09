// The page `semilab bench vocoder` opens in headless Chromium: WaveGlow
// synthesis of one mel with fixed noise on our WGSL (one-shot infer) and on
// onnxruntime-web's WebGPU and wasm EPs running two graphs: the one
// torch_peer.py exported from PyTorch and the studio's own TS-built graph
// (waveGlowOnnx.ts), the graph the page's wasm fallback (WaveGlowWasm) runs;
// all on this page's one onnxruntime-web and the same adapter. PyTorch's
// time and audio come from torch.json. Every time includes uploading the
// inputs and reading the audio back.
import * as ort from 'onnxruntime-web/webgpu';
import { acquireGpu } from '../src/engine/device';
import { tensor } from '../src/engine/tensor';
import { parseSafetensors } from '../src/io/safetensors';
import { parseWaveGlowConfig } from '../src/models/waveglow/config';
import { WaveGlow } from '../src/models/waveglow/waveglow';
import { buildWaveGlowOnnx } from '../src/models/waveglow/waveGlowOnnx';
import { validateWaveGlowTensors } from '../src/models/waveglow/weights';
import {
  fetchBytes,
  fetchF32,
  fetchJson,
  fsUrl,
  maxAbs,
  maxAbsDiff,
  messageOf,
  runBenchPage,
  timeRuns,
  type ModelRow,
} from './modelBench';
import type { VocoderInput } from './vocoderInputs';

const TASK = 'synthesis';

runBenchPage(async (result) => {
  const params = new URLSearchParams(location.search);
  const dir = params.get('dir') ?? '';
  const reps = Number(params.get('reps') ?? 3);
  const budget = Number(params.get('budget') ?? 60);
  const status = document.getElementById('status')!;
  ort.env.wasm.numThreads = navigator.hardwareConcurrency;

  const input = await fetchJson<VocoderInput>(fsUrl(`${dir}/input.json`));
  const mel = await fetchF32(fsUrl(`${dir}/mel.f32`));
  const noise = await fetchF32(fsUrl(`${dir}/noise.f32`));
  const torch = await fetchJson<Record<string, unknown>>(fsUrl(`${dir}/torch.json`));
  const melShape = [1, input.nMel, input.frames];
  const noiseShape = [1, input.nGroup, input.groups];
  const row = (path: string, fields: Partial<ModelRow>): ModelRow => {
    const r: ModelRow = {
      task: TASK,
      path,
      seconds: null,
      runs: 0,
      units: input.samples,
      maxDiff: null,
      ...fields,
    };
    result.rows.push(r);
    return r;
  };

  const acquired = await acquireGpu(navigator.gpu);
  if (!acquired.ok) throw new Error(acquired.error.message);
  const gpu = acquired.value;
  result.adapter = gpu.profile.name;

  status.textContent = 'ours…';
  const [configText, weights] = await Promise.all([
    fetchBytes('/models/waveglow/config.json'),
    fetchBytes('/models/waveglow/weights.safetensors'),
  ]);
  const loaded = WaveGlow.load(gpu, new TextDecoder().decode(configText), weights);
  if (!loaded.ok) throw new Error(loaded.error);
  const model = loaded.value;
  const ours = await timeRuns(
    'ours',
    reps,
    async () => {
      const m = tensor(gpu, mel, melShape);
      const z = tensor(gpu, noise, noiseShape);
      const audio = await model.infer(m, z, input.sigma);
      const data = await audio.read();
      for (const t of [m, z, audio]) t.dispose();
      return data;
    },
    budget,
  );
  model.dispose();
  const audio = ours.last;
  row('ours (WGSL)', { seconds: ours.seconds, runs: ours.runs });
  result.notes.push(
    `audio: ${input.samples} samples (${(input.samples / input.sampleRate).toFixed(3)} s ` +
      `at ${input.sampleRate} Hz), max |audio| ${maxAbs(audio).toFixed(3)}, sigma ${input.sigma}`,
  );

  /** An ORT path: one synthesis of the bench's mel and noise, and its cleanup. */
  interface OrtPath {
    run(): Promise<Float32Array>;
    release(): Promise<void>;
  }
  /** Times one ORT path; a failure becomes a note. */
  const measure = async (path: string, open: () => Promise<OrtPath>) => {
    status.textContent = `${path}…`;
    let p: OrtPath | null = null;
    try {
      p = await open();
      const t = await timeRuns(path, reps, p.run, budget);
      row(path, { seconds: t.seconds, runs: t.runs, maxDiff: maxAbsDiff(t.last, audio) });
    } catch (err) {
      row(path, { note: `failed: ${messageOf(err)}` });
    } finally {
      await p?.release();
    }
  };
  const session = async (bytes: Uint8Array, ep: string, z: Float32Array): Promise<OrtPath> => {
    const s = await ort.InferenceSession.create(bytes, { executionProviders: [ep] });
    const feeds = {
      mel: new ort.Tensor('float32', mel, melShape),
      noise: new ort.Tensor('float32', z, noiseShape),
    };
    return {
      run: async () => (await s.run(feeds)).audio.data as Float32Array,
      release: () => s.release(),
    };
  };

  // ---- the PyTorch export (torch_peer.py), when PyTorch could make one
  const onnxPath = typeof torch.onnx === 'string' ? torch.onnx : null;
  const onnx = onnxPath ? await fetchBytes(fsUrl(onnxPath)) : null;
  for (const ep of ['webgpu', 'wasm']) {
    const threads = ep === 'wasm' ? ` (${ort.env.wasm.numThreads} threads)` : '';
    const path = `ORT ${ep}${threads}, exported`;
    if (!onnx) {
      row(path, { note: `skipped, no exported ONNX: ${String(torch.error ?? 'none made')}` });
      continue;
    }
    await measure(path, () => session(onnx, ep, noise));
  }

  // ---- the studio's TS-built graph (what the page's wasm fallback runs)
  const config = parseWaveGlowConfig(new TextDecoder().decode(configText));
  if (!config.ok) throw new Error(config.error);
  const parsed = parseSafetensors(weights);
  if (!parsed.ok) throw new Error(parsed.error);
  const checked = validateWaveGlowTensors(parsed.value.tensors, config.value);
  if (!checked.ok) throw new Error(checked.error);
  // NOTE: the TS-built graph takes noise already scaled by sigma
  const scaledNoise = noise.map((v) => v * input.sigma);
  for (const ep of ['webgpu', 'wasm']) {
    const threads = ep === 'wasm' ? ` (${ort.env.wasm.numThreads} threads)` : '';
    await measure(`ORT ${ep}${threads}, TS-built`, () =>
      session(buildWaveGlowOnnx(config.value, parsed.value.tensors), ep, scaledNoise),
    );
  }

  if (typeof torch.seconds === 'number') {
    const peer = await fetchF32(fsUrl(`${dir}/torch_audio.f32`));
    row(`PyTorch ${String(torch.torch)} CPU (${String(torch.threads)} threads)`, {
      seconds: torch.seconds,
      runs: Number(torch.runs),
      maxDiff: maxAbsDiff(peer, audio),
    });
  } else {
    row('PyTorch CPU', { note: `skipped: ${String(torch.error ?? 'no result')}` });
  }
});
