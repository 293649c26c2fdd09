import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureConsole } from './consoleCapture';
import { tensor } from '../engine/tensor';
import { testGpu } from '../engine/testing';
import { writeNpy } from '../io/npy';
import { decodeWav } from '../io/wav';
import { gaussianNoise } from '../models/waveglow/noise';
import { nodeGpuApi } from '../engine/node/dawn';
import { readAdapterFacts } from '../engine/profile';
import { autoBackend } from './cliBackend';
import { loadModel, melOf, vocodeCommand } from './vocode';
import { shortSpeech, wavOf } from './vocodeTestUtils';

const gpu = await testGpu();

describe.skipIf(!gpu)('semilab vocode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semilab-vocode-'));
  const { errors, lines } = captureConsole();

  it('writes the one-shot synthesis of a WAV, chunked, and prints RTF', async () => {
    const speech = shortSpeech();
    const input = join(dir, 'speech.wav');
    const out = join(dir, 'out.wav');
    writeFileSync(input, wavOf(speech));
    const args = [input, '--out', out, '--sigma', '0.7', '--chunk', '12', '--backend', 'webgpu'];
    const code = await vocodeCommand.run(args);
    expect(code, errors.join('\n')).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/2 chunk\(s\) of 12 frames/);
    expect(text).toMatch(/real-time factor \d+\.\d+/);
    expect(text).toMatch(/peak GPU memory \d+\.\d MiB/);
    const written = decodeWav(new Uint8Array(readFileSync(out)));
    if (!written.ok) throw new Error(written.error.message);

    // reference: one-shot infer of the same mel and noise, outside the command
    const model = await loadModel(gpu!, join(process.cwd(), 'public', 'models', 'waveglow'));
    if (!model.ok) throw new Error(model.error);
    const decoded = decodeWav(wavOf(speech));
    if (!decoded.ok) throw new Error(decoded.error.message);
    const mel = await melOf(gpu!, decoded.value.samples);
    const melT = tensor(gpu!, mel.data, [1, 80, mel.frames]);
    const [, g, groups] = model.value.noiseShape(mel.frames);
    const noise = tensor(gpu!, gaussianNoise(1)(g, 0, groups), [1, g, groups]);
    const audio = await model.value.infer(melT, noise, 0.7);
    const expected = await audio.read();
    expect(written.value.samples.length).toBe(model.value.outputSamples(mel.frames));
    let worst = 0;
    expected.forEach((v, i) => {
      const q = Math.max(-1, Math.min(1, v));
      worst = Math.max(worst, Math.abs(written.value.samples[i] - q));
    });
    // 16-bit rounding (1/32768) plus f32 differences between chunked and one-shot
    expect(worst).toBeLessThan(1e-4);
    for (const t of [melT, noise, audio]) t.dispose();
    model.value.dispose();
  });

  it('picks the backend automatically, says why, and wasm writes the WebGPU audio', async () => {
    const input = join(dir, 'speech.wav');
    writeFileSync(input, wavOf(shortSpeech()));
    const args = ['--sigma', '0.7', '--chunk', '12'];
    const gpuOut = join(dir, 'out-webgpu.wav');
    expect(await vocodeCommand.run([input, '--out', gpuOut, ...args, '--backend', 'webgpu'])).toBe(
      0,
    );
    const autoOut = join(dir, 'out-auto.wav');
    expect(await vocodeCommand.run([input, '--out', autoOut, ...args]), errors.join('\n')).toBe(0);
    // auto's rule on this machine's own adapter
    const adapter = await (await nodeGpuApi()).requestAdapter();
    const expected = autoBackend(adapter ? readAdapterFacts(adapter) : null);
    expect(errors).toContain(`semilab vocode: backend ${expected.kind} (${expected.why})`);
    expect(lines.at(-1)).toContain(
      expected.kind === 'wasm' ? 'on onnxruntime-web (wasm)' : 'peak GPU memory',
    );
    const wasmOut = join(dir, 'out-wasm.wav');
    expect(await vocodeCommand.run([input, '--out', wasmOut, ...args, '--backend', 'wasm'])).toBe(
      0,
    );
    expect(errors).toContain('semilab vocode: backend wasm (chosen with --backend)');
    const read = (p: string) => {
      const d = decodeWav(new Uint8Array(readFileSync(p)));
      if (!d.ok) throw new Error(d.error.message);
      return d.value.samples;
    };
    const [onGpu, onWasm] = [read(gpuOut), read(wasmOut)];
    expect(onWasm.length).toBe(onGpu.length);
    let worst = 0;
    onGpu.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - onWasm[i]))));
    // both log-mels and both WaveGlows agree to f32 rounding; the WAVs to a few 16-bit steps
    expect(worst).toBeLessThan(2e-4);
    expect(Math.max(...onWasm.map(Math.abs))).toBeGreaterThan(1e-3);
    expect(await vocodeCommand.run([input, '--out', wasmOut, '--backend', 'cuda'])).toBe(2);
    expect(errors.at(-1)).toBe(
      "semilab vocode: --backend must be 'auto', 'webgpu' or 'wasm' (got 'cuda')",
    );
  });

  it('refuses a mel with the wrong band count, rank or a NaN, and missing weights', async () => {
    const out = join(dir, 'x.wav');
    const npy = (name: string, data: Float32Array, shape: number[]) => {
      const path = join(dir, name);
      writeFileSync(path, writeNpy(data, shape));
      return path;
    };
    expect(
      await vocodeCommand.run([npy('narrow.npy', new Float32Array(40 * 5), [40, 5]), '--out', out]),
    ).toBe(1);
    expect(errors.at(-1)).toBe(
      'semilab vocode: narrow.npy: a mel must be [80, frames] (got 40 bands, the model has 80)',
    );
    expect(
      await vocodeCommand.run([
        npy('batched.npy', new Float32Array(80 * 5), [1, 80, 5]),
        '--out',
        out,
      ]),
    ).toBe(1);
    expect(errors.at(-1)).toContain('got shape [1, 80, 5]');
    const bad = new Float32Array(80 * 6).fill(-5);
    bad[2 * 6 + 4] = NaN;
    expect(await vocodeCommand.run([npy('nan.npy', bad, [80, 6]), '--out', out])).toBe(1);
    expect(errors.at(-1)).toBe(
      'semilab vocode: nan.npy: the mel holds NaN at band 2, frame 4 ' +
        '(expected finite log-mel values)',
    );
    expect(
      await vocodeCommand.run([
        npy('ok.npy', new Float32Array(80 * 4), [80, 4]),
        '--out',
        out,
        '--weights',
        join(dir, 'none'),
      ]),
    ).toBe(1);
    expect(errors.at(-1)).toMatch(/cannot read .*none\/config\.json \(no such file\)/);
    expect(await vocodeCommand.run([join(dir, 'ok.npy'), '--out', out, '--sigma', 'x'])).toBe(2);
    expect(errors.at(-1)).toContain('--sigma (expected a number in [0, 10], got x)');
    expect(await vocodeCommand.run([join(dir, 'ok.npy')])).toBe(2);
    expect(errors.at(-1)).toMatch(/usage: semilab vocode/);
  });

  it('is listed by semilab help', () => {
    const r = spawnSync(process.execPath, ['bin/semilab.mjs', 'help'], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/\bvocode\b/);
    expect(r.stdout).toMatch(/\blikelihood\b/);
  });
});
