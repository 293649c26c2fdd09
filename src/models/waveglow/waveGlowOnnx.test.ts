// Parity of WaveGlow's ONNX twin (onnxruntime-web wasm, graph built in TS)
// with PyTorch (goldens/), with itself chunked, and with the WGSL model on the
// page's default weights for a real recording's log-mel.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../../engine/tensor';
import { closeness, randomArray, testGpu } from '../../engine/testing';
import { parseSafetensors, type NamedArray } from '../../io/safetensors';
import { decodeWav } from '../../io/wav';
import { logMelReference } from '../mel/melReference';
import { parseWaveGlowConfig, type WaveGlowConfig } from './config';
import { gaussianNoise } from './noise';
import { WaveGlow } from './waveglow';
import { invertMatrix, WaveGlowWasm, type HostMel } from './waveGlowOnnx';
import { validateWaveGlowTensors } from './weights';

const gpu = await testGpu();

function loadDir(dir: string) {
  const configText = readFileSync(join(dir, 'config.json'), 'utf8');
  const weightBytes = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));
  const config = parseWaveGlowConfig(configText);
  if (!config.ok) throw new Error(config.error);
  const parsed = parseSafetensors(weightBytes);
  if (!parsed.ok) throw new Error(parsed.error);
  const checked = validateWaveGlowTensors(parsed.value.tensors, config.value);
  if (!checked.ok) throw new Error(checked.error);
  return { configText, weightBytes, config: config.value, weights: parsed.value.tensors };
}

/** max |a - b| / max |b| */
function relError(actual: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(actual.length).toBe(want.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return err / scale;
}

const golden = loadDir(join(process.cwd(), 'src', 'models', 'waveglow', 'goldens'));
const ioFile = parseSafetensors(
  new Uint8Array(readFileSync(join(process.cwd(), 'src/models/waveglow/goldens/io.safetensors'))),
);
if (!ioFile.ok) throw new Error(ioFile.error);
const io = ioFile.value.tensors;
const SIGMA = Number(ioFile.value.metadata.sigma);
const goldenOf = (name: string): NamedArray => io.get(name)!;

/** A longer mel: the golden's frames repeated with a drift. */
function longMel(config: WaveGlowConfig, frames: number): HostMel {
  const mel = goldenOf('mel');
  const bands = config.n_mel_channels;
  const data = new Float32Array(bands * frames);
  for (let b = 0; b < bands; b++) {
    for (let f = 0; f < frames; f++) {
      data[b * frames + f] = mel.data[b * mel.shape[2] + (f % mel.shape[2])] + 0.01 * f;
    }
  }
  return { data, bands, frames };
}

describe('invertMatrix', () => {
  it('inverts a random 7 x 7 matrix in float64 and refuses a singular one', () => {
    const n = 7;
    const m = randomArray(n * n, 3);
    const inv = invertMatrix(m, n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += m[i * n + k] * inv[k * n + j];
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-12);
    expect(() => invertMatrix([1, 2, 2, 4], 2)).toThrow(/singular/);
  });
});

describe('WaveGlowWasm against PyTorch (goldens)', () => {
  let model: WaveGlowWasm;
  afterAll(() => model?.release());

  it('synthesises the golden audio from its mel and noise (atol 1e-5, rtol 1e-4)', async () => {
    model = await WaveGlowWasm.create(golden.config, golden.weights);
    const mel = goldenOf('mel');
    const noise = goldenOf('noise').data.map((v) => v * SIGMA);
    const audio = await model.infer({ data: mel.data, bands: 80, frames: mel.shape[2] }, noise);
    const want = goldenOf('audio').data;
    expect(closeness(audio, want, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
    expect(relError(audio, want)).toBeLessThan(1e-4);
  });

  it('tiles the one-shot output when run in chunks (odd chunk size, exact overlap)', async () => {
    const frames = 45;
    const mel = longMel(golden.config, frames);
    const g = golden.config.n_group;
    const groups = model.outputSamples(frames) / g;
    const oneShot = await model.infer(
      mel,
      gaussianNoise(7)(g, 0, groups).map((v) => v * SIGMA),
    );
    const pieces: Float32Array[] = [];
    await model.inferChunked(mel, SIGMA, 11, (s) => void pieces.push(s), { seed: 7 });
    expect(pieces.length).toBeGreaterThan(3);
    const joined = Float32Array.from(pieces.flatMap((p) => Array.from(p)));
    expect(relError(joined, oneShot)).toBeLessThan(1e-5);
  });

  it('refuses a mel with the wrong band count or NaN, naming the place', async () => {
    const bad = longMel(golden.config, 6);
    await expect(
      model.inferChunked({ ...bad, bands: 40, data: bad.data.subarray(0, 240) }, 1, 8, () => {}),
    ).rejects.toThrow(/40 bands, the model has 80/);
    bad.data[3 * 6 + 2] = Number.NaN;
    await expect(model.inferChunked(bad, 1, 8, () => {})).rejects.toThrow(
      /mel holds NaN at item 0, band 3, frame 2/,
    );
  });
});

const WAV = '../shared/data/ljspeech/wavs/LJ001-0001.wav';

describe.skipIf(!gpu || !existsSync(WAV))(
  'WaveGlowWasm against the WGSL model (default weights, LJ001-0001)',
  () => {
    const page = loadDir(join(process.cwd(), 'public', 'models', 'waveglow'));
    const loaded = WaveGlow.load(gpu!, page.configText, page.weightBytes);
    if (!loaded.ok) throw new Error(loaded.error);
    const gpuModel = loaded.value;
    let model: WaveGlowWasm;
    afterAll(async () => {
      gpuModel.dispose();
      gpu?.flush();
      await model?.release();
    });

    it('gives the same audio for the same mel and noise within 1e-4 relative', async () => {
      const decoded = decodeWav(readFileSync(WAV));
      if (!decoded.ok) throw new Error(decoded.error.message);
      // 0.2 s from 0.5 s on: 18 frames of speech
      const samples = decoded.value.samples.subarray(11025, 11025 + 4400);
      const frames = Math.floor(samples.length / 256) + 1;
      const mel: HostMel = { data: Float32Array.from(logMelReference(samples)), bands: 80, frames };
      model = await WaveGlowWasm.create(page.config, page.weights);
      const g = page.config.n_group;
      const groups = model.outputSamples(frames) / g;
      const noise = gaussianNoise(5)(g, 0, groups);
      const sigma = 0.6;
      const melT = tensor(gpu!, mel.data, [1, 80, frames]);
      const noiseT = tensor(gpu!, noise, [1, g, groups]);
      const audioT = await gpuModel.infer(melT, noiseT, sigma);
      const want = await audioT.read();
      for (const t of [melT, noiseT, audioT]) t.dispose();
      const got = await model.infer(
        mel,
        noise.map((v) => v * sigma),
      );
      expect(relError(got, want)).toBeLessThan(1e-4);
    });
  },
);
