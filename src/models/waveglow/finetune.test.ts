import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testGpu } from '../../engine/testing';
import { parseSafetensors } from '../../io/safetensors';
import { decodeWav } from '../../io/wav';
import {
  CONFIG_FILE,
  DEFAULT_WAVEGLOW_DIR,
  dirFiles,
  loadWaveGlowFiles,
  WEIGHTS_FILE,
} from './defaultModel';
import { segmentsNll, WaveGlowFineTuner } from './finetune';
import { checkFineTuneSettings, FINETUNE_DEFAULTS, splitRecording } from './finetuneData';
import { WaveGlow } from './waveglow';

const WAV = '../shared/data/ljspeech/wavs/LJ001-0001.wav';

describe('fine-tune settings and segments (CPU)', () => {
  it('accepts the defaults and names every setting out of bounds', () => {
    expect(checkFineTuneSettings(FINETUNE_DEFAULTS).ok).toBe(true);
    const r = checkFineTuneSettings({
      steps: 0,
      lr: Number.NaN,
      warmup: 0.6,
      floor: 0.5,
      segmentSamples: 1000,
      batch: 2.5,
    });
    expect(r.ok).toBe(false);
    const msg = r.ok ? '' : r.error;
    expect(msg).toContain('Steps (expected an integer from 1 to 2000, got 0)');
    expect(msg).toContain('Learning rate (expected a number from 0.000001 to 0.01, got NaN)');
    expect(msg).toContain('Segment length (expected a multiple of 256, got 1000)');
    expect(msg).toContain('Batch (expected an integer from 1 to 8, got 2.5)');
    expect(msg).toContain('Warmup share (expected a number from 0 to 0.5, got 0.6)');
    // a share is not an integer setting
    expect(msg).not.toContain('Final lr share');
  });

  it('holds out the end (15%, capped, >= a segment); refuses too short recordings', () => {
    const s = splitRecording(10_000, 2048);
    expect(s).toEqual({
      ok: true,
      value: { trainEnd: 7952, heldOutStart: 7952, heldOutEnd: 10_000 },
    });
    // 15% of 100000 samples in whole hops: 58 * 256
    expect(splitRecording(100_000, 2048)).toEqual({
      ok: true,
      value: { trainEnd: 85_152, heldOutStart: 85_152, heldOutEnd: 100_000 },
    });
    // ... and at most 16384 samples
    expect(splitRecording(1_000_000, 2048)).toEqual({
      ok: true,
      value: { trainEnd: 983_616, heldOutStart: 983_616, heldOutEnd: 1_000_000 },
    });
    const short = splitRecording(4095, 2048);
    expect(short.ok).toBe(false);
    expect(!short.ok && short.error).toContain('expected at least 4096 samples');
  });
});

const gpu = await testGpu();
const haveData = existsSync(WAV);

describe.skipIf(!gpu || !haveData)('WaveGlowFineTuner on LJ001-0001 (needs ../shared/data)', () => {
  let base: WaveGlow | null = null;
  afterAll(() => base?.dispose());

  it('lowers the training NLL on a clip; trains a copy, the base stays intact', async () => {
    const dir = join(process.cwd(), DEFAULT_WAVEGLOW_DIR);
    const loaded = WaveGlow.load(
      gpu!,
      readFileSync(join(dir, CONFIG_FILE), 'utf8'),
      new Uint8Array(readFileSync(join(dir, WEIGHTS_FILE))),
    );
    if (!loaded.ok) throw new Error(loaded.error);
    base = loaded.value;
    const decoded = decodeWav(new Uint8Array(readFileSync(WAV)));
    if (!decoded.ok) throw new Error(decoded.error.message);
    // 0.5 s of speech: random 1024-sample segments cover most of it in a few steps
    const clip = decoded.value.samples.slice(22050, 22050 + 11264);
    // a constant rate (no warmup, floor 1): the recipe this test was first measured with
    const settings = { steps: 4, lr: 1e-4, warmup: 0, floor: 1, segmentSamples: 1024, batch: 2 };
    const corpus = { recordings: [{ name: 'LJ001-0001 clip', samples: clip }], heldOut: null };
    const made = await WaveGlowFineTuner.create(base, corpus, settings, 1234);
    if (!made.ok) throw new Error(made.error);
    const tuner = made.value;
    const name = 'WN.0.end.weight';
    const original = await base.weights.get(name).read();
    const evalStarts = [0, 2048, 4096, 6144, 8192].map((start) => ({ recording: 0, start }));

    const before = await tuner.nllAt(tuner.model, evalStarts);
    const heldBefore = await tuner.heldOutNll(base);
    expect(await tuner.heldOutNll()).toBeCloseTo(heldBefore, 5);
    const losses: number[] = [];
    for (let i = 0; i < settings.steps; i++) {
      const s = await tuner.step();
      expect(s.step).toBe(i + 1);
      expect(Number.isFinite(s.loss) && s.gradNorm > 0).toBe(true);
      expect(s.lr).toBe(1e-4);
      losses.push(s.loss);
      console.log(
        `[finetune] step ${s.step}: loss ${s.loss.toFixed(4)}, |g| ${s.gradNorm.toFixed(2)}, ` +
          `${(s.ms / 1000).toFixed(2)} s`,
      );
    }
    const after = await tuner.nllAt(tuner.model, evalStarts);
    const heldAfter = await tuner.heldOutNll();
    console.log(
      `[finetune] training-range NLL ${before.toFixed(4)} -> ${after.toFixed(4)}; ` +
        `held-out ${heldBefore.toFixed(4)} -> ${heldAfter.toFixed(4)}`,
    );
    expect(after).toBeLessThan(before);
    expect(Number.isFinite(heldAfter)).toBe(true);

    // the copy moved; the base model still holds the file's weights and its NLL
    const trained = await tuner.model.weights.get(name).read();
    const moved = trained.reduce((m, v, i) => Math.max(m, Math.abs(v - original[i])), 0);
    expect(moved).toBeGreaterThan(1e-5);
    expect(await base.weights.get(name).read()).toEqual(original);
    expect(await tuner.heldOutNll(base)).toBeCloseTo(heldBefore, 5);

    // the export holds the trained values and loads as a model of the same config
    const bytes = await tuner.toSafetensors({ fine_tuned_on: 'LJ001-0001', steps: '4' });
    const parsed = parseSafetensors(bytes);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.metadata.steps).toBe('4');
    expect(parsed.value.tensors.get(name)!.data).toEqual(trained);
    // as `semilab vocode --weights DIR` reads an exported folder
    const folder = mkdtempSync(join(tmpdir(), 'semilab-finetune-'));
    writeFileSync(join(folder, CONFIG_FILE), JSON.stringify(base.config));
    writeFileSync(join(folder, WEIGHTS_FILE), bytes);
    const again = await loadWaveGlowFiles(
      gpu!,
      dirFiles(folder, (path) => readFile(path)),
    );
    rmSync(folder, { recursive: true });
    if (!again.ok) throw new Error(again.error);
    expect(await tuner.heldOutNll(again.value)).toBeCloseTo(heldAfter, 5);
    again.value.dispose();

    const live = gpu!.stats().liveBuffers;
    tuner.dispose();
    expect(gpu!.stats().liveBuffers).toBeLessThan(live);
  }, 600_000);
});

const WAV_2 = '../shared/data/ljspeech/wavs/LJ001-0002.wav';

describe.skipIf(!gpu || !haveData || !existsSync(WAV_2))(
  'WaveGlowFineTuner on two recordings (needs ../shared/data)',
  () => {
    it('scores the marked recording as held out and trains at the scheduled rate', async () => {
      const dir = join(process.cwd(), DEFAULT_WAVEGLOW_DIR);
      const loaded = WaveGlow.load(
        gpu!,
        readFileSync(join(dir, CONFIG_FILE), 'utf8'),
        new Uint8Array(readFileSync(join(dir, WEIGHTS_FILE))),
      );
      if (!loaded.ok) throw new Error(loaded.error);
      const base = loaded.value;
      const read = (path: string) => {
        const decoded = decodeWav(new Uint8Array(readFileSync(path)));
        if (!decoded.ok) throw new Error(decoded.error.message);
        return decoded.value.samples;
      };
      // 1 s of LJ001-0001 trains; LJ001-0002 (1.9 s) is held out whole
      const train = read(WAV).slice(22050, 44100);
      const held = read(WAV_2);
      const corpus = {
        recordings: [
          { name: 'LJ001-0001.wav', samples: train },
          { name: 'LJ001-0002.wav', samples: held },
        ],
        heldOut: 1,
      };
      const settings = { ...FINETUNE_DEFAULTS, steps: 2, segmentSamples: 512, batch: 1 };
      const made = await WaveGlowFineTuner.create(base, corpus, settings, 5);
      if (!made.ok) throw new Error(made.error);
      const tuner = made.value;
      expect(tuner.split.trainEnds).toEqual([22050, 0]);
      // the held-out NLL is the middle 16384 samples of LJ001-0002: (41885 - 16384) / 2 -> 49 hops
      expect(tuner.split.heldOut).toEqual([{ recording: 1, start: 12544, end: 12544 + 16384 }]);
      const direct = await segmentsNll(base, [held.subarray(12544, 12544 + 16384)]);
      expect(await tuner.heldOutNll(base)).toBeCloseTo(direct, 6);
      // 2 steps, no warmup step (round(0.2) = 0): the peak, then the floor
      const first = await tuner.step();
      const second = await tuner.step();
      expect(first.lr).toBeCloseTo(settings.lr, 15);
      expect(second.lr).toBeCloseTo(settings.lr * settings.floor, 15);
      expect(Number.isFinite(first.loss) && Number.isFinite(second.loss)).toBe(true);
      const after = await tuner.heldOutNll();
      expect(Number.isFinite(after) && after !== direct).toBe(true);
      tuner.dispose();
      base.dispose();
    }, 600_000);
  },
);
