import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backward, noGrad } from '../../engine/autograd';
import { scope, tensor, type Tensor } from '../../engine/tensor';
import { closeness, testGpu } from '../../engine/testing';
import { parseSafetensors, writeSafetensors, type NamedArray } from '../../io/safetensors';
import { exactOverlap, planChunks } from './chunks';
import { parseWaveGlowConfig, type WaveGlowConfig } from './config';
import { gaussianNoise } from './noise';
import { WaveGlow } from './waveglow';
import { expectedWaveGlowShapes, validateWaveGlowTensors } from './weights';

// Goldens: training/waveglow/goldens.py (a tiny random WaveGlow in PyTorch).
const dir = join(process.cwd(), 'src', 'models', 'waveglow', 'goldens');
const configText = readFileSync(join(dir, 'config.json'), 'utf8');
const weightBytes = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));
const ioFile = parseSafetensors(new Uint8Array(readFileSync(join(dir, 'io.safetensors'))));
if (!ioFile.ok) throw new Error(ioFile.error);
const io = ioFile.value.tensors;
const SIGMA = Number(ioFile.value.metadata.sigma);
const trainingDir = join(process.cwd(), 'training', 'waveglow');

function golden(name: string): NamedArray {
  const t = io.get(name);
  if (!t) throw new Error(`golden ${name} missing`);
  return t;
}

function parsedConfig(text: unknown = configText): WaveGlowConfig {
  const c = parseWaveGlowConfig(text);
  if (!c.ok) throw new Error(c.error);
  return c.value;
}

function weightArrays(): Map<string, NamedArray> {
  const w = parseSafetensors(weightBytes);
  if (!w.ok) throw new Error(w.error);
  return w.value.tensors;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('WaveGlow config', () => {
  it('parses the training configs and fills defaults', () => {
    for (const file of ['small.json', 'original.json']) {
      const c = parsedConfig(readFileSync(join(trainingDir, file), 'utf8'));
      expect(c.n_mel_channels).toBe(80);
    }
    const original = parsedConfig(readFileSync(join(trainingDir, 'original.json'), 'utf8'));
    expect(original.upsample_kernel).toBe(0);
    const { win_length: _w, upsample_kernel: _u, ...rest } = JSON.parse(configText);
    expect(parsedConfig(rest).win_length).toBe(1024);
  });

  it('names every bad field', () => {
    const raw = JSON.parse(configText);
    const bad = (patch: object): string => {
      const r = parseWaveGlowConfig({ ...raw, ...patch });
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.error;
    };
    expect(bad({ n_flows: 2.5 })).toContain('n_flows (expected an integer >= 1, got 2.5)');
    expect(bad({ n_group: 7 })).toContain('n_group must be even (got 7)');
    expect(bad({ WN_config: { n_layers: 2, n_channels: 8 } })).toContain(
      'WN_config.kernel_size is missing',
    );
    expect(bad({ WN_config: { ...raw.WN_config, kernel_size: 4 } })).toContain('must be odd');
    expect(bad({ hop_length: '8' })).toContain('hop_length (expected an integer >= 1, got "8")');
    expect(bad({ extra: 1 })).toContain('unknown field extra');
    expect(bad({ n_early_size: 4, n_early_every: 1 })).toContain('early exits leave');
    expect(bad({ upsample_kernel: 4 })).toContain('upsample kernel must be >= hop_length');
    const text = parseWaveGlowConfig('{ not json');
    expect(!text.ok && text.error).toContain('not valid JSON');
  });
});

describe('WaveGlow weights (CPU checks)', () => {
  it('accepts the golden weights and rejects a config that does not match them', () => {
    const arrays = weightArrays();
    expect(validateWaveGlowTensors(arrays, parsedConfig()).ok).toBe(true);
    expect(arrays.size).toBe(expectedWaveGlowShapes(parsedConfig()).size);
    const wider = { ...parsedConfig(), WN_config: { n_layers: 2, n_channels: 16, kernel_size: 3 } };
    const r = validateWaveGlowTensors(arrays, wider);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(
      'WN.0.start.weight shape (expected [16, 4, 1], got [8, 4, 1])',
    );
    const fewer = validateWaveGlowTensors(arrays, { ...parsedConfig(), n_flows: 3 });
    expect(!fewer.ok && fewer.error).toContain('unexpected tensor WN.3.');
  });

  it('reports missing, unexpected and weight-norm tensors', () => {
    const arrays = weightArrays();
    const w = arrays.get('WN.1.start.weight')!;
    arrays.delete('WN.1.start.weight');
    arrays.set('WN.1.start.weight_g', { shape: [8, 1, 1], data: new Float32Array(8) });
    arrays.set('WN.1.start.weight_v', w);
    const r = validateWaveGlowTensors(arrays, parsedConfig());
    expect(r.ok).toBe(false);
    const msg = r.ok ? '' : r.error;
    expect(msg).toContain('WN.1.start.weight is missing (expected shape [8, 4, 1])');
    expect(msg).toContain('unexpected tensor WN.1.start.weight_g (weight norm not folded');
  });
});

const gpu = await testGpu();

describe.skipIf(!gpu)('WaveGlow (GPU) against PyTorch goldens', () => {
  let model: WaveGlow;
  const mel = golden('mel');
  const noise = golden('noise');
  const upload = (a: NamedArray): Tensor => tensor(gpu!, a.data, a.shape).keep();

  beforeAll(() => {
    const m = WaveGlow.load(gpu!, configText, weightBytes);
    if (!m.ok) throw new Error(m.error);
    model = m.value;
  });
  afterAll(() => {
    model?.dispose();
    gpu?.flush();
  });

  it('infer matches PyTorch (atol 1e-5, rtol 1e-4)', async () => {
    const melT = upload(mel);
    const noiseT = upload(noise);
    expect(model.noiseShape(mel.shape[2])).toEqual(noise.shape);
    const audio = await model.infer(melT, noiseT, SIGMA);
    const expected = golden('audio').data;
    expect(audio.shape).toEqual(golden('audio').shape);
    const actual = await audio.read();
    const c = closeness(actual, expected, 1e-5, 1e-4);
    console.log(
      `[waveglow] infer: ${actual.length} samples, max abs err ${maxAbsDiff(actual, expected).toExponential(2)}, closeness ${c.toFixed(3)}`,
    );
    expect(c).toBeLessThanOrEqual(1);
    for (const t of [melT, noiseT, audio]) t.dispose();
  });

  it('forward matches PyTorch z and NLL, on independent audio and on infer output', async () => {
    const melT = upload(mel);
    for (const [audioName, zName, nllName] of [
      ['audio_fwd', 'z_fwd', 'nll_fwd'],
      ['audio', 'z_infer', 'nll_infer'],
    ]) {
      const audioT = upload(golden(audioName));
      const { z, nll } = model.forward(melT, audioT, SIGMA);
      expect(z.shape).toEqual(golden(zName).shape);
      const zAct = await z.read();
      const nllAct = (await nll.read())[0];
      const nllExp = golden(nllName).data[0];
      const cz = closeness(zAct, golden(zName).data, 1e-5, 1e-4);
      const rel = Math.abs(nllAct - nllExp) / Math.abs(nllExp);
      console.log(
        `[waveglow] forward(${audioName}): z max abs err ${maxAbsDiff(zAct, golden(zName).data).toExponential(2)}, closeness ${cz.toFixed(3)}; NLL ${nllAct} vs ${nllExp}, rel ${rel.toExponential(2)}`,
      );
      expect(cz).toBeLessThanOrEqual(1);
      expect(rel).toBeLessThan(1e-4);
      for (const t of [audioT, z, nll]) t.dispose();
    }
    melT.dispose();
  });

  it('backward of the NLL matches PyTorch gradients', async () => {
    const m = WaveGlow.load(gpu!, configText, weightBytes, { requiresGrad: true });
    if (!m.ok) throw new Error(m.error);
    const trained = m.value;
    const melT = upload(mel);
    const audioT = upload(golden('audio_fwd'));
    // warm-up without a graph, so the model's cached identity matrices exist before counting
    noGrad(() => scope(gpu!, () => trained.forward(melT, audioT, SIGMA)));
    const before = gpu!.stats().liveBuffers;
    scope(gpu!, () => {
      const { nll } = trained.forward(melT, audioT, SIGMA);
      backward(nll);
    });
    const gradNames = [...io.keys()].filter((k) => k.startsWith('grad.'));
    expect(gradNames.length).toBeGreaterThan(5);
    for (const key of gradNames) {
      const name = key.slice('grad.'.length);
      const g = trained.weights.get(name).grad;
      expect(g, name).not.toBeNull();
      const actual = await g!.read();
      const expected = golden(key).data;
      let scaleOf = 0;
      for (const v of expected) scaleOf = Math.max(scaleOf, Math.abs(v));
      const c = closeness(actual, expected, 1e-4 * scaleOf, 1e-3);
      console.log(
        `[waveglow] grad ${name}: max abs err ${maxAbsDiff(actual, expected).toExponential(2)} (max |g| ${scaleOf.toExponential(2)}), closeness ${c.toFixed(3)}`,
      );
      expect(c, name).toBeLessThanOrEqual(1);
    }
    // the graph went with the scope; only the leaves' gradients remain
    const withGrad = trained.weights.parameters().filter((p) => p.grad).length;
    expect(withGrad).toBe(trained.weights.parameters().length);
    expect(gpu!.stats().liveBuffers - before).toBe(withGrad);
    trained.dispose();
    melT.dispose();
    audioT.dispose();
  });

  it('forward(infer(noise)) gives back sigma * noise', async () => {
    const melT = upload(mel);
    const noiseT = upload(noise);
    const audio = await model.infer(melT, noiseT, SIGMA);
    const { z, nll } = model.forward(melT, audio, SIGMA);
    const zAct = await z.read();
    const expected = noise.data.map((v) => SIGMA * v);
    const err = maxAbsDiff(zAct, expected);
    console.log(`[waveglow] round trip: max |z - sigma*noise| ${err.toExponential(2)}`);
    expect(closeness(zAct, expected, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
    for (const t of [melT, noiseT, audio, z, nll]) t.dispose();
  });

  it('frees every intermediate of infer and forward', async () => {
    const melT = upload(mel);
    const noiseT = upload(noise);
    const audioT = upload(golden('audio_fwd'));
    // warm-up so identity matrices are cached before counting
    (await model.infer(melT, noiseT, SIGMA)).dispose();
    const before = gpu!.stats().liveBuffers;
    const audio = await model.infer(melT, noiseT, SIGMA);
    expect(gpu!.stats().liveBuffers).toBe(before + 1);
    const { z, nll } = model.forward(melT, audioT, SIGMA);
    expect(gpu!.stats().liveBuffers).toBe(before + 3);
    for (const t of [melT, noiseT, audioT, audio, z, nll]) t.dispose();
  });

  it('rejects a mel with the wrong band count, NaN, or mismatched noise', async () => {
    const melT = upload(mel);
    const noiseT = upload(noise);
    const narrow = tensor(gpu!, new Float32Array(40 * 4), [1, 40, 4]);
    await expect(model.infer(narrow, noiseT, SIGMA)).rejects.toThrow(
      'WaveGlow.infer: mel must be [N, 80, frames] (got [1, 40, 4]: 40 bands, the model has 80)',
    );
    const bad = mel.data.slice();
    bad[3 * mel.shape[2] + 7] = NaN;
    const nanMel = tensor(gpu!, bad, mel.shape);
    await expect(model.infer(nanMel, noiseT, SIGMA)).rejects.toThrow(
      'WaveGlow.infer: mel holds NaN at item 0, band 3, frame 7',
    );
    const shortNoise = tensor(gpu!, new Float32Array(8 * 5), [1, 8, 5]);
    await expect(model.infer(melT, shortNoise, SIGMA)).rejects.toThrow(
      'WaveGlow.infer: noise shape (expected [1, 8, 20] for 20 frames, got [1, 8, 5])',
    );
    const oddAudio = tensor(gpu!, new Float32Array(12), [1, 12]);
    expect(() => model.forward(melT, oddAudio)).toThrow(
      'audio length must be a positive multiple of 8',
    );
    for (const t of [melT, noiseT, narrow, nanMel, shortNoise, oddAudio]) t.dispose();
  });

  it('load fails clearly on a truncated file or a config that does not match', () => {
    const truncated = WaveGlow.load(gpu!, configText, weightBytes.subarray(0, 5000));
    expect(truncated.ok).toBe(false);
    expect(!truncated.ok && truncated.error).toMatch(/^WaveGlow weights: safetensors: .*truncated/);
    const raw = JSON.parse(configText);
    const wrong = WaveGlow.load(gpu!, { ...raw, n_mel_channels: 40 }, weightBytes);
    expect(!wrong.ok && wrong.error).toContain(
      'upsample.weight shape (expected [40, 40, 16], got [80, 80, 16])',
    );
    const arrays = weightArrays();
    arrays.set('extra.bias', { shape: [2], data: new Float32Array(2) });
    const extra = WaveGlow.load(gpu!, configText, writeSafetensors(arrays));
    expect(!extra.ok && extra.error).toContain('unexpected tensor extra.bias');
    const badCfg = WaveGlow.load(gpu!, { ...raw, n_group: 0 }, weightBytes);
    expect(!badCfg.ok && badCfg.error).toContain('WaveGlow config: n_group');
  });

  it('chunked synthesis tiles the one-shot output; measures the seams', async () => {
    const cfg = model.config;
    const frames = 48;
    const melData = new Float32Array(cfg.n_mel_channels * frames);
    // a longer mel: the golden's frames repeated with a drift
    for (let b = 0; b < cfg.n_mel_channels; b++) {
      for (let f = 0; f < frames; f++) {
        melData[b * frames + f] = mel.data[b * mel.shape[2] + (f % mel.shape[2])] + 0.01 * f;
      }
    }
    const melT = tensor(gpu!, melData, [1, cfg.n_mel_channels, frames]);
    const source = gaussianNoise(7);
    const [, g, groups] = model.noiseShape(frames);
    const noiseT = tensor(gpu!, source(g, 0, groups), [1, g, groups]);
    const oneShot = await (await model.infer(melT, noiseT, SIGMA)).read();
    const chunkFrames = 12;
    const exact = exactOverlap(cfg);
    const results: string[] = [];
    for (const overlap of [
      exact,
      { left: 0, right: 0 },
      { left: 2, right: 2 },
      { left: 4, right: 4 },
    ]) {
      const pieces: Float32Array[] = [];
      await model.inferChunked(melT, SIGMA, chunkFrames, (s) => void pieces.push(s), {
        overlapFrames: overlap,
        noise: source,
      });
      const joined = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of pieces) {
        joined.set(p, at);
        at += p.length;
      }
      expect(joined.length).toBe(oneShot.length);
      expect(pieces.length).toBe(Math.ceil(frames / chunkFrames));
      // worst difference within +-2 frames of each seam, and overall
      const hop = cfg.hop_length;
      let seam = 0;
      for (let f = chunkFrames; f < frames; f += chunkFrames) {
        for (let i = (f - 2) * hop; i < (f + 2) * hop; i++) {
          seam = Math.max(seam, Math.abs(joined[i] - oneShot[i]));
        }
      }
      const all = maxAbsDiff(joined, oneShot);
      results.push(
        `overlap ${overlap.left}/${overlap.right} frames: max |diff| ${all.toExponential(2)}, near seams ${seam.toExponential(2)}`,
      );
      if (overlap === exact) expect(closeness(joined, oneShot, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
    }
    const rms = Math.sqrt(oneShot.reduce((s, v) => s + v * v, 0) / oneShot.length);
    console.log(
      `[waveglow] chunked (${chunkFrames}-frame chunks, audio rms ${rms.toFixed(3)}):\n  ${results.join('\n  ')}`,
    );
    melT.dispose();
    noiseT.dispose();
  });

  it('plans chunks that tile the output when hop is not a multiple of n_group', () => {
    const cfg = { ...parsedConfig(), hop_length: 6, upsample_kernel: 12 };
    const frames = 37;
    const total = Math.floor((frames * 6) / 8) * 8;
    const chunks = planChunks(cfg, frames, 5, { left: 3, right: 0 });
    let at = 0;
    for (const ch of chunks) {
      expect((ch.melStart * 6) % 8).toBe(0);
      expect(ch.groupStart * 8).toBe(ch.melStart * 6);
      expect(ch.melStart * 6 + ch.keepStart).toBe(at);
      expect(ch.keepEnd).toBeLessThanOrEqual(ch.groups * 8);
      at = ch.melStart * 6 + ch.keepEnd;
    }
    expect(at).toBe(total);
  });
});
