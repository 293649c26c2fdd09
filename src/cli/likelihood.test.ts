import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureConsole } from './consoleCapture';
import { randomArray, testGpu } from '../engine/testing';
import { likelihoodCommand } from './likelihood';
import { shortSpeech, wavOf } from './vocodeTestUtils';

const gpu = await testGpu();

describe.skipIf(!gpu)('semilab likelihood', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semilab-likelihood-'));
  const { lines, errors } = captureConsole();

  async function nll(
    samples: Float32Array,
    name: string,
  ): Promise<{ nats: number; bits: number; loss: number }> {
    const path = join(dir, name);
    writeFileSync(path, wavOf(samples));
    lines.length = 0;
    expect(await likelihoodCommand.run([path]), errors.join('\n')).toBe(0);
    const text = lines.join('\n');
    const m = /NLL: (-?[\d.]+) nats per sample \((-?[\d.]+) bits per sample\)/.exec(text);
    const l = /training loss .*: (-?[\d.]+) nats/.exec(text);
    expect(m, text).not.toBeNull();
    return { nats: Number(m![1]), bits: Number(m![2]), loss: Number(l![1]) };
  }

  it('prints nats and bits per sample; speech beats equally loud noise', async () => {
    const speech = shortSpeech();
    const s = await nll(speech, 'speech.wav');
    expect(s.bits).toBeCloseTo(s.nats / Math.LN2, 3);
    expect(s.nats - s.loss).toBeCloseTo(0.5 * Math.log(2 * Math.PI), 3);
    const rms = Math.sqrt(speech.reduce((a, v) => a + v * v, 0) / speech.length);
    const noise = randomArray(speech.length, 9).map((v) => v * rms * Math.sqrt(3));
    const n = await nll(noise, 'noise.wav');
    console.info(
      `[likelihood] speech ${s.nats.toFixed(3)} nats/sample, noise ${n.nats.toFixed(3)}`,
    );
    // a vocoder trained on speech must find its own kind of signal far more probable
    expect(s.nats).toBeLessThan(n.nats - 0.5);
  });

  it('explains bad input', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello\n');
    expect(await likelihoodCommand.run([text])).toBe(1);
    expect(errors.at(-1)).toMatch(/notes\.txt is not a WAV file/);
    expect(await likelihoodCommand.run([])).toBe(2);
  });
});
