// `semilab vocode --backend wasm` (and auto on a software adapter): the same
// synthesis as the page's wasm fallback, WaveGlow and the log-mel as ONNX
// graphs built from the weights (waveGlowOnnx.ts, logMelOnnx.ts) on
// onnxruntime-web's wasm backend, with no GPU at all.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fail, ok, type Result } from '../engine/assert';
import { parseSafetensors } from '../io/safetensors';
import type { MelInput } from '../jobs/vocoderCore';
import { LogMelWasm } from '../models/mel/logMelOnnx';
import { MEL } from '../models/mel/melConfig';
import { parseWaveGlowConfig } from '../models/waveglow/config';
import { CONFIG_FILE, dirFiles, WEIGHTS_FILE } from '../models/waveglow/defaultModel';
import { WaveGlowWasm } from '../models/waveglow/waveGlowOnnx';
import { validateWaveGlowTensors } from '../models/waveglow/weights';
import { wrongModelFolder } from './modelFolder';

/** config.json + weights.safetensors in `dir` as the wasm model; one message on failure. */
export async function loadWasmModel(dir: string): Promise<Result<WaveGlowWasm>> {
  const where = isAbsolute(dir) ? dir : join(process.cwd(), dir);
  const wrong = wrongModelFolder(where, 'waveglow');
  if (wrong) return fail(wrong);
  const files = dirFiles(where, (path) => readFile(path));
  const [configBytes, weights] = await Promise.all([
    files.read(CONFIG_FILE),
    files.read(WEIGHTS_FILE),
  ]);
  if (!configBytes.ok) return configBytes;
  if (!weights.ok) return weights;
  const config = parseWaveGlowConfig(new TextDecoder().decode(configBytes.value));
  if (!config.ok) return fail(`${config.error} (model files in ${where})`);
  const parsed = parseSafetensors(weights.value);
  if (!parsed.ok) return fail(`WaveGlow weights: ${parsed.error} (model files in ${where})`);
  const checked = validateWaveGlowTensors(parsed.value.tensors, config.value);
  if (!checked.ok) return fail(`${checked.error} (model files in ${where})`);
  return ok(await WaveGlowWasm.create(config.value, parsed.value.tensors));
}

/** The log-mel [80, frames] of `samples` on wasm (same values as the GPU's logMel). */
export async function melOfWasm(samples: Float32Array): Promise<MelInput> {
  const model = await LogMelWasm.create();
  try {
    const data = await model.run(samples);
    return { data, bands: MEL.bands, frames: data.length / MEL.bands };
  } finally {
    await model.release();
  }
}
