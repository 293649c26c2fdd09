import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureConsole } from './consoleCapture';
import { testGpu } from '../engine/testing';
import { readNpy } from '../io/npy';
import { makeWav, sine } from '../io/wavTestUtils';
import { decodeWav } from '../io/wav';
import { logMelReference } from '../models/mel/melReference';
import { melCommand } from './mel';

const gpu = await testGpu();

describe.skipIf(!gpu)('semilab mel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semilab-mel-'));
  const { errors, lines } = captureConsole();

  it('writes the [80, frames] log-mel of a stereo 44.1 kHz WAV as .npy', async () => {
    const wav = makeWav({
      sampleRate: 44100,
      channels: [sine(44100, 0.3, 440), sine(44100, 0.3, 2000)],
      bits: 16,
    });
    const input = join(dir, 'tone.wav');
    const out = join(dir, 'tone.npy');
    writeFileSync(input, wav);
    expect(await melCommand.run([input, '--out', out])).toBe(0);
    const npy = readNpy(new Uint8Array(readFileSync(out)));
    if (!npy.ok) throw new Error(npy.error);
    const decoded = decodeWav(wav);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const frames = Math.floor(decoded.value.samples.length / 256) + 1;
    expect(npy.value.shape).toEqual([80, frames]);
    // pure tones leave bands 1e6 below the peak; there f32 holds 2e-3 (see logMel.test.ts)
    const expected = logMelReference(decoded.value.samples);
    let worst = 0;
    let worstLoud = 0;
    npy.value.data.forEach((v, i) => {
      const e = Math.abs(v - expected[i]);
      worst = Math.max(worst, e);
      if (expected[i] > Math.log(1e-4)) worstLoud = Math.max(worstLoud, e);
    });
    expect(worstLoud).toBeLessThan(1e-3);
    expect(worst).toBeLessThan(2e-3);
    expect(lines.join('\n')).toMatch(/resampled from 44100 Hz, downmixed from 2 channels/);
    expect(lines.join('\n')).toMatch(new RegExp(`\\[80, ${frames}\\]`));
  });

  it('explains bad input and exits non-zero', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello\n');
    expect(await melCommand.run([text, '--out', join(dir, 'x.npy')])).toBe(1);
    expect(errors.at(-1)).toMatch(/notes\.txt is not a WAV file/);
    expect(await melCommand.run([join(dir, 'missing.wav'), '--out', join(dir, 'x.npy')])).toBe(1);
    expect(errors.at(-1)).toMatch(/cannot read .*missing\.wav \(ENOENT\)/);
    expect(await melCommand.run([text])).toBe(2);
    expect(errors.at(-1)).toMatch(/usage: semilab mel/);
    const nowhere = join(dir, 'no-such-folder', 'x.npy');
    expect(await melCommand.run([text, '--out', nowhere])).toBe(2);
    expect(errors.at(-1)).toMatch(/folder of --out .* does not exist/);
    await expect(melCommand.run([text, '--out', join(dir, 'x.npy'), '--bogus'])).rejects.toThrow(
      /unknown option --bogus \(expected one of: --out\)/,
    );
  });
});
