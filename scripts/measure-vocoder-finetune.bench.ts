// Held-out NLL on LJ001-0001 before and after a short fine-tuning run of the default
// settings, with the warmup + cosine schedule and with a constant rate (figures in
// public/models/waveglow/MODEL.md). A measurement, not a test:
//   SEMILAB_MEASURE_LRS=3e-5,6e-5 VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     npx vitest bench --run scripts/measure-vocoder-finetune.bench.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench } from 'vitest';
import { testGpu } from '../src/engine/testing';
import { decodeWav } from '../src/io/wav';
import {
  CONFIG_FILE,
  DEFAULT_WAVEGLOW_DIR,
  WEIGHTS_FILE,
} from '../src/models/waveglow/defaultModel';
import { WaveGlowFineTuner } from '../src/models/waveglow/finetune';
import { FINETUNE_DEFAULTS } from '../src/models/waveglow/finetuneData';
import { WaveGlow } from '../src/models/waveglow/waveglow';

const WAV = '../shared/data/ljspeech/wavs/LJ001-0001.wav';

bench(
  'held-out NLL after 8 steps, scheduled and constant',
  async () => {
    const gpu = await testGpu();
    if (!gpu) throw new Error('no WebGPU adapter');
    const dir = join(process.cwd(), DEFAULT_WAVEGLOW_DIR);
    const loaded = WaveGlow.load(
      gpu,
      readFileSync(join(dir, CONFIG_FILE), 'utf8'),
      new Uint8Array(readFileSync(join(dir, WEIGHTS_FILE))),
    );
    if (!loaded.ok) throw new Error(loaded.error);
    const decoded = decodeWav(new Uint8Array(readFileSync(WAV)));
    if (!decoded.ok) throw new Error(decoded.error.message);
    const corpus = {
      recordings: [{ name: 'LJ001-0001.wav', samples: decoded.value.samples }],
      heldOut: null,
    };
    const peaks = (process.env.SEMILAB_MEASURE_LRS ?? '3e-5').split(',').map(Number);
    const variants = peaks.flatMap((lr) => [
      { name: `schedule peak ${lr}`, settings: { ...FINETUNE_DEFAULTS, lr, steps: 8 } },
      {
        name: `constant ${lr}`,
        settings: { ...FINETUNE_DEFAULTS, lr, steps: 8, warmup: 0, floor: 1 },
      },
    ]);
    let before: number | null = null;
    for (const v of variants) {
      const made = await WaveGlowFineTuner.create(loaded.value, corpus, v.settings, 1);
      if (!made.ok) throw new Error(made.error);
      const tuner = made.value;
      before ??= await tuner.heldOutNll(loaded.value);
      const lrs: string[] = [];
      for (let i = 0; i < v.settings.steps; i++) lrs.push((await tuner.step()).lr.toExponential(1));
      const after = await tuner.heldOutNll();
      console.log(
        `[finetune measure] ${v.name}: held-out ${before.toFixed(4)} -> ${after.toFixed(4)} ` +
          `(lr ${lrs.join(' ')})`,
      );
      tuner.dispose();
    }
    loaded.value.dispose();
  },
  { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
);
