import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureConsole } from './consoleCapture';
import { writeNpy } from '../io/npy';
import { makeWav } from '../io/wavTestUtils';
import {
  MEL_PLAUSIBLE_MAX,
  MEL_PLAUSIBLE_MIN,
  MIN_SAMPLE_RATE,
  melRangeWarning,
  outFolderProblem,
} from './inputChecks';
import { likelihoodCommand } from './likelihood';
import { melCommand } from './mel';
import { readMlstmFolder } from './mlstmFeatures';
import { wrongModelFolder } from './modelFolder';
import { readAudio, vocodeCommand } from './vocode';
import { loadWasmModel } from './vocodeWasm';

const dir = mkdtempSync(join(tmpdir(), 'semilab-checks-'));
const wavAt = (name: string, sampleRate: number, frames: number) => {
  const path = join(dir, name);
  const tone = Float64Array.from({ length: frames }, (_, i) => 0.5 * Math.sin(i / 3));
  writeFileSync(path, makeWav({ sampleRate, channels: [tone], bits: 16 }));
  return path;
};

describe('CLI input checks', () => {
  const { errors } = captureConsole();

  it('refuses a WAV below 4000 Hz in vocode, likelihood and mel, and keeps 4000 Hz', async () => {
    const sr1 = wavAt('sr1.wav', 1, 100);
    const refused = /sr1\.wav: sample rate 1 Hz is too low \(expected at least 4000 Hz/;
    const audio = await readAudio(sr1);
    expect(audio.ok).toBe(false);
    if (!audio.ok) expect(audio.error).toMatch(refused);
    expect(await likelihoodCommand.run([sr1])).toBe(1);
    expect(errors.at(-1)).toMatch(/^semilab likelihood: sr1\.wav: sample rate 1 Hz/);
    const out = join(dir, 'sr1.npy');
    expect(await melCommand.run([sr1, '--out', out])).toBe(1);
    expect(errors.at(-1)).toMatch(/^semilab mel: sr1\.wav: sample rate 1 Hz/);
    const justBelow = await readAudio(wavAt('sr3999.wav', MIN_SAMPLE_RATE - 1, 400));
    expect(justBelow.ok).toBe(false);
    const lowest = await readAudio(wavAt('sr4000.wav', MIN_SAMPLE_RATE, 400));
    expect(lowest.ok).toBe(true);
    if (lowest.ok) expect(lowest.value.notes).toEqual(['resampled from 4000 Hz']);
  });

  it('refuses an --out whose folder is missing or a file, before any work (exit 2)', async () => {
    const input = wavAt('ok.wav', 22050, 2205);
    const nowhere = join(dir, 'nonexistent', 'dir', 'x.wav');
    expect(outFolderProblem(nowhere)).toMatch(/folder of --out .* does not exist/);
    expect(outFolderProblem(join(dir, 'x.wav'))).toBeNull();
    const started = performance.now();
    expect(await vocodeCommand.run([input, '--out', nowhere, '--backend', 'wasm'])).toBe(2);
    expect(errors.at(-1)).toBe(
      `semilab vocode: the folder of --out ${nowhere} does not exist ` +
        `(${join(dir, 'nonexistent', 'dir')})`,
    );
    // refused before the model is loaded: no synthesis ran
    expect(performance.now() - started).toBeLessThan(2000);
    const underFile = join(input, 'x.wav');
    expect(await vocodeCommand.run([input, '--out', underFile])).toBe(2);
    expect(errors.at(-1)).toMatch(/the folder of --out .*ok\.wav\/x\.wav is a file/);
    expect(await melCommand.run([input, '--out', underFile])).toBe(2);
    expect(errors.at(-1)).toMatch(/^semilab mel: the folder of --out .* is a file/);
  });

  it('warns about log-mel values outside the range the model saw, with how many', () => {
    const plausible = Float32Array.from([MEL_PLAUSIBLE_MIN, -11.5, 0, 2.3, MEL_PLAUSIBLE_MAX]);
    expect(melRangeWarning('m.npy', plausible)).toBeNull();
    const wild = Float32Array.from([-5e30, -5e30, -5e30, -3, 1e4, 2]);
    expect(melRangeWarning('m.npy', wild)).toBe(
      'warning: m.npy: 4 of 6 log-mel values lie outside [-16.5, 9.6] ' +
        '(3 below, 1 above; min -5.00e+30, max 1.00e+4); ' +
        'the model never saw such values and will likely synthesise noise',
    );
    expect(melRangeWarning('m.npy', Float32Array.from([MEL_PLAUSIBLE_MIN - 0.01]))).toMatch(
      /1 of 1 log-mel values .*\(1 below, 0 above/,
    );
  });

  it('vocode warns about such a .npy mel on stderr and still synthesises it', async () => {
    const npy = join(dir, 'wild.npy');
    const data = new Float32Array(80 * 3).fill(-5.5);
    data.fill(-5e30, 0, 100);
    writeFileSync(npy, writeNpy(data, [80, 3]));
    const out = join(dir, 'wild.wav');
    expect(await vocodeCommand.run([npy, '--out', out, '--backend', 'wasm']), errors.join()).toBe(
      0,
    );
    expect(errors).toContainEqual(
      expect.stringMatching(/^warning: wild\.npy: 100 of 240 log-mel values lie outside/),
    );
    expect(existsSync(out)).toBe(true);
  }, 120_000);

  it('names the one subfolder holding config.json when --weights is its parent', async () => {
    const top = join(dir, 'unzipped');
    mkdirSync(join(top, 'mlstm'), { recursive: true });
    mkdirSync(join(top, 'notes'));
    writeFileSync(join(top, 'mlstm', 'config.json'), '{}');
    const hint =
      `cannot read ${join(top, 'config.json')} (no such file); ` +
      `did you mean ${join(top, 'mlstm')}?`;
    expect(wrongModelFolder(top, 'mlstm')).toBe(hint);
    expect(() => readMlstmFolder(top)).toThrow(hint);
    const wasm = await loadWasmModel(top);
    expect(wasm.ok ? '' : wasm.error).toBe(hint);
    // two candidates: no guess, the loader names the missing file
    mkdirSync(join(top, 'waveglow'));
    writeFileSync(join(top, 'waveglow', 'config.json'), '{}');
    expect(wrongModelFolder(top, 'waveglow')).toBeNull();
    expect(() => readMlstmFolder(top)).toThrow(/cannot read the mLSTM config .*\(no such file\)$/);
  });
});
