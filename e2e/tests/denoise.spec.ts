// The WaveGlow denoiser in the Speech panel, end to end: a short real
// recording is synthesised once, the model's bias spectrum is computed as a
// job, and a denoise strength of 0.3 changes the played and exported audio
// without running WaveGlow again, with less energy where the bias lives;
// the synthesis plots follow the strength and show exactly the exported
// audio; another recording leaves nothing pending (the status says it applies
// after a synthesis); the strength is saved work. Reads window.__semilabDenoise
// (src/state/denoiseStore.ts) and __semilab.synthesisPlot()
// (src/state/playedMelStore.ts).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Download } from '@playwright/test';
import { decodeWav } from '../../src/io/wav';
import { makeWav } from '../../src/io/wavTestUtils';
import { logMelReference } from '../../src/models/mel/melReference';
import { stft } from '../../src/models/waveglow/stft';
import { expect, test, type StudioPage } from '../fixtures';

const LJ002 = fileURLToPath(
  new URL('../../../shared/data/ljspeech/wavs/LJ001-0002.wav', import.meta.url),
);
const haveLj = existsSync(LJ002);

// NOTE: 0.5 s keeps the synthesis near 30 s on SwiftShader (about 0.02x real time)
const EXCERPT_S = 0.5;

function excerptWav(): Buffer {
  const decoded = decodeWav(new Uint8Array(readFileSync(LJ002)), { name: 'LJ001-0002.wav' });
  if (!decoded.ok) throw new Error(decoded.error.message);
  const { samples, sampleRate } = decoded.value;
  const part = samples.subarray(0, Math.round(EXCERPT_S * sampleRate));
  return Buffer.from(makeWav({ sampleRate, channels: [Float64Array.from(part)], bits: 16 }));
}

async function exported(studio: StudioPage): Promise<{ name: string; samples: Float32Array }> {
  const pending: Promise<Download> = studio.page.waitForEvent('download');
  await studio.byId('speech.synthesis.export').click();
  const file = await pending;
  const chunks: Buffer[] = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
  const wav = decodeWav(new Uint8Array(Buffer.concat(chunks)), { name: file.suggestedFilename() });
  if (!wav.ok) throw new Error(wav.error.message);
  expect(wav.value.originalRate).toBe(22050);
  return { name: file.suggestedFilename(), samples: wav.value.samples };
}

/** STFT energy (FFT 1024, hop 256) summed over `bins` and all frames. */
function energyIn(x: Float32Array, bins: number[]): number {
  const spec = stft(x);
  let e = 0;
  for (let t = 0; t < spec.frames; t++) {
    for (const k of bins) e += spec.magnitude[t * spec.bins + k] ** 2;
  }
  return e;
}

function plotted(studio: StudioPage) {
  return studio.page.evaluate(() => window.__semilab!.synthesisPlot());
}

/** Waits until the synthesis log-mel plot shows the audio denoised at `strength`. */
async function plottedAt(studio: StudioPage, strength: number) {
  await expect
    .poll(async () => (await plotted(studio))?.melStrength, { timeout: 30_000 })
    .toBe(strength);
  return (await plotted(studio))!;
}

/** Mean |a - b| over all cells, and max |a - b| over cells where b is above ln(1e-3). */
function melGap(a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; loud: number } {
  expect(a.length).toBe(b.length);
  let sum = 0;
  let loud = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sum += d;
    if (b[i] > Math.log(1e-3)) loud = Math.max(loud, d);
  }
  return { mean: sum / a.length, loud };
}

test.describe('Speech: WaveGlow denoiser', () => {
  test.skip(!haveLj, `${LJ002} is absent: the denoiser end-to-end test needs it`);

  test('strength 0.3 lowers the bias band of the played and exported synthesis', async ({
    studio,
  }) => {
    test.setTimeout(300_000);
    await studio.goto();
    await studio.openTab('speech');
    await studio.byId('speech.file').setInputFiles({
      name: 'LJ001-0002-excerpt.wav',
      mimeType: 'audio/wav',
      buffer: excerptWav(),
    });
    await expect(studio.byId('panel.speech')).toHaveAttribute('data-status', 'ready', {
      timeout: 60_000,
    });
    await expect(studio.byId('speech.denoise.strength.value')).toHaveText('0.00');
    await expect(studio.byId('speech.denoise.status')).toHaveText('applies after a synthesis');
    await studio.byId('speech.synthesis.live').uncheck();
    await studio.byId('speech.synthesis.run').click();
    const synth = studio.jobs().filter({ hasText: 'Synthesize LJ001-0002-excerpt.wav' });
    await expect(synth).toHaveAttribute('data-state', 'done', { timeout: 150_000 });

    // the bias: one job, a spectrum, a plot
    const biasJob = studio.jobs().filter({ hasText: 'Denoiser bias' });
    await expect(biasJob).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
    await expect(studio.byId('speech.denoise')).toHaveAttribute('data-bias', 'ready');
    await expect(studio.byId('speech.denoise.bias')).toBeVisible();
    const bias = (await studio.page.evaluate(() => window.__semilabDenoise!.getBias()))!;
    expect(bias).toHaveLength(513);
    expect(bias.every(Number.isFinite)).toBe(true);
    const top = Math.max(...bias);
    expect(top).toBeGreaterThan(0);
    // the band where the bias is within 10 dB of its peak, and where it is 40 dB below
    const band = bias.flatMap((m, k) => (m >= top / 10 ** 0.5 ? [k] : []));
    const quiet = bias.flatMap((m, k) => (m < top / 100 ? [k] : []));
    expect(band.length).toBeGreaterThan(0);
    expect(quiet.length).toBeGreaterThan(0);

    const raw = await exported(studio);
    expect(raw.name).toBe('LJ001-0002-excerpt-waveglow-sigma0.60.wav');
    // strength 0: the plots show the synthesis itself
    const plot0 = await plottedAt(studio, 0);
    expect(plot0.waveformStrength).toBe(0);
    await expect(studio.byId('speech.synthesis.plots.melLabel')).toHaveText('(not denoised)');

    await studio.byId('speech.denoise.strength').fill('0.3');
    await expect(studio.byId('speech.denoise.strength.value')).toHaveText('0.30');
    await expect(studio.byId('speech.denoise.status')).toHaveText('applied to the synthesis');
    const played = (await studio.page.evaluate(() => window.__semilabDenoise!.getPlayed()))!;
    expect(played.strength).toBeCloseTo(0.3, 6);
    const clean = await exported(studio);
    expect(clean.name).toBe('LJ001-0002-excerpt-waveglow-sigma0.60-denoise0.30.wav');

    // the plots follow: the waveform is the played audio, the log-mel that of the exported WAV
    const plot3 = await plottedAt(studio, 0.3);
    expect(plot3.waveformStrength).toBeCloseTo(0.3, 6);
    expect(plot3.waveform).toEqual(played.samples);
    await expect(studio.byId('speech.synthesis.plots.waveformLabel')).toHaveText('(denoised 0.30)');
    await expect(studio.byId('speech.synthesis.plots.melLabel')).toHaveText('(denoised 0.30)');
    const wavMel = logMelReference(clean.samples);
    const rawMel = logMelReference(raw.samples);
    const same = melGap(plot3.mel!.data, wavMel);
    const moved = melGap(plot0.mel!.data, plot3.mel!.data);
    const rawGap = melGap(plot0.mel!.data, rawMel);
    console.log(
      `[denoise] plotted log-mel vs the exported WAV's: mean ${same.mean.toExponential(2)}, ` +
        `max where > ln 1e-3 ${same.loud.toExponential(2)} (strength 0: mean ` +
        `${rawGap.mean.toExponential(2)}); strength 0 vs 0.3 plots: mean ` +
        `${moved.mean.toExponential(2)}, max ${moved.loud.toFixed(3)}`,
    );
    // NOTE: the WAV is 16-bit: its rounding moves a mel cell near 1e-3 by up to ~0.5%
    // (measured 5.4e-3 at most, mean 3.5e-4; the plot itself is of the float audio)
    expect(same.loud).toBeLessThan(2e-2);
    expect(same.mean).toBeLessThan(2e-3);
    expect(rawGap.loud).toBeLessThan(2e-2);
    // the denoised plot differs from the raw one far beyond that tolerance
    expect(moved.mean).toBeGreaterThan(20 * same.mean);
    expect(moved.loud).toBeGreaterThan(0.05);
    // WaveGlow did not run again
    await expect(synth).toHaveCount(1);

    expect(clean.samples.length).toBe(raw.samples.length);
    expect(played.samples.length).toBe(raw.samples.length);
    // the export is the played audio (16-bit rounding apart)
    let exportGap = 0;
    let change = 0;
    for (let i = 0; i < raw.samples.length; i++) {
      exportGap = Math.max(exportGap, Math.abs(clean.samples[i] - played.samples[i]));
      change = Math.max(change, Math.abs(clean.samples[i] - raw.samples[i]));
    }
    expect(exportGap).toBeLessThan(1e-4);
    expect(change).toBeGreaterThan(1e-3);
    const before = energyIn(raw.samples, band);
    const after = energyIn(clean.samples, band);
    const quietBefore = energyIn(raw.samples, quiet);
    const quietAfter = energyIn(clean.samples, quiet);
    const peaks = [...bias.keys()].sort((a, b) => bias[b] - bias[a]).slice(0, 8);
    console.log(
      `[denoise] bias peak bins ${peaks.join(',')}; band ${band.length} bins, energy ` +
        `${before.toExponential(3)} -> ${after.toExponential(3)} ` +
        `(${((100 * after) / before).toFixed(1)}%); ${quiet.length} bins 40 dB below: ` +
        `${((100 * quietAfter) / quietBefore).toFixed(1)}%; max sample change ${change.toFixed(4)}`,
    );
    expect(after).toBeLessThan(0.9 * before);
    // where the bias is negligible, the audio is left nearly as it was
    expect(quietAfter / quietBefore).toBeGreaterThan(after / before);
    const audio = studio.byId('speech.synthesis.audio');
    await expect(audio).toHaveAttribute('data-samples', String(raw.samples.length));

    // back to 0 gives the synthesis itself
    await studio.byId('speech.denoise.strength').fill('0');
    await expect(studio.byId('speech.denoise.status')).toHaveText('off');
    const zero = (await studio.page.evaluate(() => window.__semilabDenoise!.getPlayed()))!;
    expect(zero.strength).toBe(0);
    let zeroGap = 0;
    for (let i = 0; i < raw.samples.length; i++) {
      zeroGap = Math.max(zeroGap, Math.abs(zero.samples[i] - raw.samples[i]));
    }
    expect(zeroGap).toBeLessThan(1e-4);
    const back = await plottedAt(studio, 0);
    expect(back.mel!.data).toEqual(plot0.mel!.data);
    expect(back.waveform).toEqual(zero.samples);

    // the strength is saved work
    await studio.byId('speech.denoise.strength').fill('0.3');
    await expect(studio.byId('speech.denoise.strength.value')).toHaveText('0.30');
    // memoised per strength: back at 0.3, the same plot
    expect((await plottedAt(studio, 0.3)).mel!.data).toEqual(plot3.mel!.data);
    await expect(studio.byId('speech.denoise.status')).toHaveText('applied to the synthesis');

    // another recording clears the synthesis: nothing is pending, the status says so
    await studio.byId('speech.file').setInputFiles({
      name: 'LJ001-0002-again.wav',
      mimeType: 'audio/wav',
      buffer: excerptWav(),
    });
    await expect(studio.byId('speech.info')).toContainText('LJ001-0002-again.wav', {
      timeout: 60_000,
    });
    await expect(studio.byId('speech.denoise.status')).toHaveText('applies after a synthesis');
    expect(await studio.page.evaluate(() => window.__semilabDenoise!.getPlayed())).toBeNull();
    await expect(studio.byId('speech.denoise.strength.value')).toHaveText('0.30');
    await studio.page.evaluate(() => window.__semilab!.persist.flushWork());
    await studio.reload();
    await studio.openTab('speech');
    await expect(studio.byId('speech.denoise.strength.value')).toHaveText('0.30', {
      timeout: 60_000,
    });
    expect(await studio.page.evaluate(() => window.__semilabDenoise!.getStrength())).toBeCloseTo(
      0.3,
      6,
    );
    expect(studio.pageErrors).toEqual([]);
  });
});
