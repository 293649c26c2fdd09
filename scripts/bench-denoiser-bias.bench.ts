// Time of the denoiser's bias synthesis (jobs/denoiserBias.ts) from 9 vs 88 zero-mel frames,
// on onnxruntime-web wasm and on our WGSL WaveGlow (SwiftShader where there is no GPU).
// One warm-up and 3 timed runs each (pipelines compiled, ort session built):
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     npx vitest bench --run scripts/bench-denoiser-bias.bench.ts
// Results are in the speechPolish report and the comment above BIAS_MEL_FRAMES.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { testGpu } from '../src/engine/testing';
import { synthesizeBiasAudio } from '../src/jobs/denoiserBias';
import { parseSafetensors } from '../src/io/safetensors';
import { parseWaveGlowConfig } from '../src/models/waveglow/config';
import { DEFAULT_WAVEGLOW_DIR } from '../src/models/waveglow/defaultModel';
import { WaveGlow } from '../src/models/waveglow/waveglow';
import { WaveGlowWasm } from '../src/models/waveglow/waveGlowOnnx';

const dir = join(process.cwd(), DEFAULT_WAVEGLOW_DIR);
const configText = readFileSync(join(dir, 'config.json'), 'utf8');
const weightBytes = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));
const config = parseWaveGlowConfig(configText);
const weights = parseSafetensors(weightBytes);
if (!config.ok || !weights.ok) throw new Error('default WaveGlow does not parse');
const wasm = await WaveGlowWasm.create(config.value, weights.value.tensors);
const gpu = await testGpu();
const loaded = gpu ? WaveGlow.load(gpu, configText, weightBytes) : null;
const webgpu = loaded?.ok ? loaded.value : null;

const once = { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 };

describe('denoiser bias synthesis, wasm', () => {
  bench('9 frames', async () => void (await synthesizeBiasAudio(wasm, 9)), once);
  bench('88 frames', async () => void (await synthesizeBiasAudio(wasm, 88)), once);
});

describe.skipIf(!webgpu)('denoiser bias synthesis, WebGPU', () => {
  bench('9 frames', async () => void (await synthesizeBiasAudio(webgpu!, 9)), once);
  bench('88 frames', async () => void (await synthesizeBiasAudio(webgpu!, 88)), once);
});
