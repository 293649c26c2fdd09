import { readFile, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { fail, ok, type Result } from '../engine/assert';
import { acquireGpu } from '../engine/device';
import type { Gpu } from '../engine/gpu';
import { nodeGpuApi } from '../engine/node/dawn';
import { readNpy } from '../io/npy';
import { decodeWav } from '../io/wav';
import { encodeWav16 } from '../io/wavEncode';
import {
  DEFAULT_CHUNK_FRAMES,
  DEFAULT_SIGMA,
  synthesizeMel,
  type MelInput,
} from '../jobs/vocoderCore';
import { logMel } from '../models/mel/logMel';
import { MEL } from '../models/mel/melConfig';
import { DEFAULT_WAVEGLOW_DIR, dirFiles, loadWaveGlowFiles } from '../models/waveglow/defaultModel';
import type { WaveGlow } from '../models/waveglow/waveglow';
import { WaveGlowWasm } from '../models/waveglow/waveGlowOnnx';
import { projectRoot } from './browserPage';
import { BACKEND_USAGE, backendOption, decideBackend, type BackendDecision } from './cliBackend';
import { parseArgs, type Command } from './command';
import { melRangeWarning, outFolderProblem, sampleRateProblem } from './inputChecks';
import { wrongModelFolder } from './modelFolder';
import { loadWasmModel, melOfWasm } from './vocodeWasm';

/** --weights DIR, or public/models/waveglow under the project root. */
export function weightsDir(option: string | undefined): string {
  if (option && option !== 'true') return option;
  return join(projectRoot(), DEFAULT_WAVEGLOW_DIR);
}

export async function loadModel(gpu: Gpu, dir: string): Promise<Result<WaveGlow>> {
  const where = isAbsolute(dir) ? dir : join(process.cwd(), dir);
  const wrong = wrongModelFolder(where, 'waveglow');
  if (wrong) return fail(wrong);
  const model = await loadWaveGlowFiles(
    gpu,
    dirFiles(where, (path) => readFile(path)),
  );
  return model;
}

export async function nodeGpu(): Promise<Result<Gpu>> {
  const gpu = await acquireGpu(await nodeGpuApi());
  return gpu.ok ? gpu : fail(gpu.error.message);
}

/** A number option in [min, max], its default when absent. */
export function numberOption(
  options: Map<string, string>,
  key: string,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): Result<number> {
  const raw = options.get(key);
  if (raw === undefined) return ok(fallback);
  const v = Number(raw);
  if (
    raw === 'true' ||
    !Number.isFinite(v) ||
    v < min ||
    v > max ||
    (integer && !Number.isInteger(v))
  )
    return fail(
      `--${key} (expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${raw})`,
    );
  return ok(v);
}

export interface LoadedAudio {
  samples: Float32Array;
  seconds: number;
  notes: string[];
}

/** Decodes a WAV file to 22050 Hz mono, with what was converted. */
export async function readAudio(path: string): Promise<Result<LoadedAudio>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    return fail(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  const decoded = decodeWav(bytes, { name: basename(path), sampleRate: MEL.sampleRate });
  if (!decoded.ok) return fail(decoded.error.message);
  const a = decoded.value;
  const slow = sampleRateProblem(basename(path), a.originalRate);
  if (slow) return fail(slow);
  const notes = [
    a.resampled ? `resampled from ${a.originalRate} Hz` : '',
    a.downmixed ? `downmixed from ${a.originalChannels} channels` : '',
    a.truncated ? 'data chunk cut short, kept what was there' : '',
  ].filter(Boolean);
  return ok({ samples: a.samples, seconds: a.duration, notes });
}

/** The GPU log-mel [80, frames] of `samples`, read back. */
export async function melOf(gpu: Gpu, samples: Float32Array): Promise<MelInput> {
  const t = await logMel(gpu, samples);
  const [bands, frames] = t.shape;
  const data = await t.read();
  t.dispose();
  return { data, bands, frames };
}

/** A .npy log-mel: [bands, frames] float32, every value finite, `bands` as the model needs. */
export async function readMelNpy(path: string, bands: number): Promise<Result<MelInput>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    return fail(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  const npy = readNpy(bytes);
  if (!npy.ok) return fail(`${basename(path)}: ${npy.error}`);
  const { data, shape } = npy.value;
  const name = basename(path);
  if (shape.length !== 2) {
    return fail(`${name}: a mel must be [${bands}, frames] (got shape [${shape.join(', ')}])`);
  }
  if (shape[0] !== bands) {
    return fail(
      `${name}: a mel must be [${bands}, frames] (got ${shape[0]} bands, the model has ${bands})`,
    );
  }
  if (shape[1] < 1) return fail(`${name}: the mel has no frames`);
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const band = Math.floor(bad / shape[1]);
    return fail(
      `${name}: the mel holds ${data[bad]} at band ${band}, frame ${bad % shape[1]} ` +
        '(expected finite log-mel values)',
    );
  }
  return ok({ data, bands: shape[0], frames: shape[1] });
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

const VOCODE_OPTIONS = ['out', 'sigma', 'weights', 'chunk', 'seed', 'backend'];

export const vocodeCommand: Command = {
  name: 'vocode',
  summary: 'synthesise speech from a WAV (its log-mel) or an [80, frames] .npy mel with WaveGlow',
  usage:
    'semilab vocode <file.wav|mel.npy> --out <out.wav> [--sigma S] [--weights DIR] ' +
    `[--chunk FRAMES] [--seed N] ${BACKEND_USAGE}\n` +
    '  --backend: auto (default) runs onnxruntime-web wasm where WebGPU is a software ' +
    'adapter or missing, WebGPU on a hardware adapter',
  async run(args) {
    const { positional, options } = parseArgs(args, VOCODE_OPTIONS);
    const input = positional[0];
    const out = options.get('out');
    if (!input || !out || out === 'true' || positional.length > 1) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const sigma = numberOption(options, 'sigma', DEFAULT_SIGMA, 0, 10);
    const chunk = numberOption(options, 'chunk', DEFAULT_CHUNK_FRAMES, 1, 1e6, true);
    const seed = numberOption(options, 'seed', 1, 0, 2 ** 32 - 1, true);
    if (!sigma.ok || !chunk.ok || !seed.ok) {
      const bad = [sigma, chunk, seed].find((r) => !r.ok);
      console.error(`semilab vocode: ${bad && !bad.ok ? bad.error : ''}`);
      return 2;
    }
    const outProblem = outFolderProblem(out);
    if (outProblem) {
      console.error(`semilab vocode: ${outProblem}`);
      return 2;
    }
    let backend: BackendDecision;
    try {
      backend = await decideBackend(backendOption(options), 'vocode');
    } catch (err) {
      console.error(`semilab vocode: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
    const onWasm = backend.kind === 'wasm';
    const gpu = onWasm ? null : await nodeGpu();
    if (gpu && !gpu.ok) {
      console.error(`semilab vocode: ${gpu.error}`);
      return 1;
    }
    const dir = weightsDir(options.get('weights'));
    const model = gpu ? await loadModel(gpu.value, dir) : await loadWasmModel(dir);
    if (!model.ok) {
      console.error(`semilab vocode: ${model.error}`);
      return 1;
    }
    const m = model.value;
    let mel: MelInput;
    if (input.toLowerCase().endsWith('.npy')) {
      const r = await readMelNpy(input, m.config.n_mel_channels);
      if (!r.ok) {
        console.error(`semilab vocode: ${r.error}`);
        return 1;
      }
      mel = r.value;
      console.log(`${basename(input)}: [${mel.bands}, ${mel.frames}] log-mel`);
      const implausible = melRangeWarning(basename(input), mel.data);
      if (implausible) console.error(implausible);
    } else {
      const audio = await readAudio(input);
      if (!audio.ok) {
        console.error(`semilab vocode: ${audio.error}`);
        return 1;
      }
      const a = audio.value;
      mel = gpu ? await melOf(gpu.value, a.samples) : await melOfWasm(a.samples);
      console.log(
        `${basename(input)}: ${a.seconds.toFixed(2)} s` +
          (a.notes.length ? ` (${a.notes.join(', ')})` : '') +
          `, log-mel [${mel.bands}, ${mel.frames}]`,
      );
    }
    const result = await synthesizeMel(m, mel, {
      sigma: sigma.value,
      chunkFrames: chunk.value,
      seed: seed.value,
    });
    await writeFile(out, encodeWav16(result.samples, result.sampleRate));
    const seconds = result.samples.length / result.sampleRate;
    console.log(
      `wrote ${out}: ${result.samples.length} samples, ${seconds.toFixed(2)} s at ` +
        `${result.sampleRate} Hz (sigma ${result.sigma}, ${result.chunks} chunk(s) of ` +
        `${chunk.value} frames)`,
    );
    const where = gpu
      ? `peak GPU memory ${mib(result.peakBytes)} on ${gpu.value.profile.name}`
      : 'on onnxruntime-web (wasm)';
    console.log(
      `compute ${(result.computeMs / 1000).toFixed(2)} s, real-time factor ` +
        `${result.rtf.toFixed(3)} (audio s / compute s), ${where}`,
    );
    if (m instanceof WaveGlowWasm) await m.release();
    else m.dispose();
    return 0;
  },
};
