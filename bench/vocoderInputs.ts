// Node side of `semilab bench vocoder`: the mel and noise every path
// synthesises from, written as raw f32 files the page and torch_peer.py read.
// The mel is a real LJ Speech clip through the CLI's own log-mel (`semilab
// mel`: decodeWav + logMel on Dawn), or seeded random values without data.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireGpu } from '../src/engine/device';
import { nodeGpuApi } from '../src/engine/node/dawn';
import { randomArray } from '../src/engine/random';
import { decodeWav } from '../src/io/wav';
import { logMel } from '../src/models/mel/logMel';
import { MEL } from '../src/models/mel/melConfig';
import { outputSamples } from '../src/models/waveglow/chunks';
import { parseWaveGlowConfig } from '../src/models/waveglow/config';
import { gaussianNoise } from '../src/models/waveglow/noise';

export const VOCODER_CLIP = 'ljspeech/wavs/LJ001-0001.wav';

/** What input.json holds (read by vocoderPage.ts and torch_peer.py). */
export interface VocoderInput {
  frames: number;
  groups: number;
  samples: number;
  sigma: number;
  sampleRate: number;
  nMel: number;
  nGroup: number;
  /** where the mel came from, for the report */
  melSource: string;
}

function f32Bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The first `frames` frames of the clip's log-mel [n_mel, frames], row-major. */
async function clipMel(path: string, frames: number): Promise<Float32Array> {
  const decoded = decodeWav(new Uint8Array(readFileSync(path)), {
    name: path,
    sampleRate: MEL.sampleRate,
  });
  if (!decoded.ok) throw new Error(decoded.error.message);
  // a few frames past the end, so the kept ones never see the cut's padding
  const samples = decoded.value.samples.subarray(0, (frames + 8) * MEL.hop);
  const gpu = await acquireGpu(await nodeGpuApi());
  if (!gpu.ok) throw new Error(gpu.error.message);
  // NOTE: the device is left alive: destroying it logs a 'device lost' line; the CLI exits anyway
  const mel = await logMel(gpu.value, samples);
  const [bands, have] = mel.shape;
  const all = await mel.read();
  mel.dispose();
  if (have < frames) throw new Error(`${path} gives ${have} frames (wanted ${frames})`);
  const out = new Float32Array(bands * frames);
  for (let b = 0; b < bands; b++) out.set(all.subarray(b * have, b * have + frames), b * frames);
  return out;
}

/** Writes input.json, mel.f32 and noise.f32 into `dir` for `modelDir`'s config. */
export async function writeVocoderInputs(
  modelDir: string,
  dataDir: string,
  dir: string,
  frames: number,
  sigma: number,
): Promise<VocoderInput> {
  const config = parseWaveGlowConfig(readFileSync(join(modelDir, 'config.json'), 'utf8'));
  if (!config.ok) throw new Error(config.error);
  const c = config.value;
  if (c.n_mel_channels !== MEL.bands || c.hop_length !== MEL.hop) {
    throw new Error(
      `the model's mel (${c.n_mel_channels} bands, hop ${c.hop_length}) is not the CLI's ` +
        `(${MEL.bands} bands, hop ${MEL.hop})`,
    );
  }
  const clip = join(dataDir, VOCODER_CLIP);
  let mel: Float32Array;
  let melSource: string;
  if (existsSync(clip)) {
    mel = await clipMel(clip, frames);
    melSource = `${VOCODER_CLIP}, first ${frames} frames, log-mel by the CLI (Dawn)`;
  } else {
    // log-mel values sit around -11.5 (silence) .. 2; seeded, so every path agrees
    mel = randomArray(c.n_mel_channels * frames, 7).map((v) => -5 + 4 * v);
    melSource = `random (no ${clip})`;
  }
  const samples = outputSamples(c, frames);
  const groups = samples / c.n_group;
  const noise = gaussianNoise(1)(c.n_group, 0, groups);
  const input: VocoderInput = {
    frames,
    groups,
    samples,
    sigma,
    sampleRate: c.sampling_rate,
    nMel: c.n_mel_channels,
    nGroup: c.n_group,
    melSource,
  };
  writeFileSync(join(dir, 'mel.f32'), f32Bytes(mel));
  writeFileSync(join(dir, 'noise.f32'), f32Bytes(noise));
  writeFileSync(join(dir, 'input.json'), `${JSON.stringify(input)}\n`);
  return input;
}
