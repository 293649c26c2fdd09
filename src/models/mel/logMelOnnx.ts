// The log-mel front end as an ONNX graph for onnxruntime-web's wasm backend,
// the fallback where WebGPU is missing or slower (software adapters).
// Framing and the window run here on the CPU (a copy per sample); the DFT,
// magnitudes, filterbank and log run in ORT:
//   frames [F, 1024] -> re = frames @ cos, im = frames @ -sin -> sqrt(re^2 + im^2)
//   -> @ filterbank^T -> max(., 1e-5) -> log -> transpose -> [80, F]
import { assert } from '../../engine/assert';
import { OrtModel } from '../../engine/ort/ortModel';
import { writeOnnxModel } from '../../io/onnxWriter';
import { hannWindow, MEL, melFrameCount, reflectIndex } from './melConfig';
import { melFilterbank } from './melFilters';

/** Builds the graph with the DFT basis and filterbank as initializers. */
export function buildLogMelOnnx(): Uint8Array {
  const { nFft, bins, bands, clamp } = MEL;
  const cos = new Float32Array(nFft * bins);
  const sin = new Float32Array(nFft * bins);
  for (let t = 0; t < nFft; t++) {
    for (let k = 0; k < bins; k++) {
      const angle = (2 * Math.PI * ((t * k) % nFft)) / nFft;
      cos[t * bins + k] = Math.cos(angle);
      sin[t * bins + k] = -Math.sin(angle);
    }
  }
  const filterbank = melFilterbank(); // [bands, bins]
  const filterbankT = new Float32Array(bins * bands);
  for (let b = 0; b < bands; b++) {
    for (let k = 0; k < bins; k++) filterbankT[k * bands + b] = filterbank[b * bins + k];
  }
  return writeOnnxModel({
    nodes: [
      { op: 'MatMul', inputs: ['frames', 'cos'], outputs: ['re'] },
      { op: 'MatMul', inputs: ['frames', 'sin'], outputs: ['im'] },
      { op: 'Mul', inputs: ['re', 're'], outputs: ['re2'] },
      { op: 'Mul', inputs: ['im', 'im'], outputs: ['im2'] },
      { op: 'Add', inputs: ['re2', 'im2'], outputs: ['power'] },
      { op: 'Sqrt', inputs: ['power'], outputs: ['magnitude'] },
      { op: 'MatMul', inputs: ['magnitude', 'filterbankT'], outputs: ['mel'] },
      { op: 'Max', inputs: ['mel', 'floor'], outputs: ['clamped'] },
      { op: 'Log', inputs: ['clamped'], outputs: ['logMelT'] },
      { op: 'Transpose', inputs: ['logMelT'], outputs: ['logMel'], attributes: { perm: [1, 0] } },
    ],
    inputs: { frames: ['frames', nFft] },
    outputs: { logMel: [bands, 'frames'] },
    initializers: {
      cos: { shape: [nFft, bins], data: cos },
      sin: { shape: [nFft, bins], data: sin },
      filterbankT: { shape: [bins, bands], data: filterbankT },
      floor: { shape: [1], data: Float32Array.from([clamp]) },
    },
  });
}

/** Frames processed per ORT run: bounds memory (8 MiB of frames) for long recordings. */
export const WASM_CHUNK_FRAMES = 2048;

/** Reflect-padded, Hann-windowed frames [count, nFft] of `samples`, from frame `first`. */
export function windowedFrames(
  samples: Float32Array,
  first = 0,
  count = melFrameCount(samples.length) - first,
): Float32Array {
  const { nFft, hop, pad } = MEL;
  const window = hannWindow(nFft);
  const out = new Float32Array(count * nFft);
  for (let f = 0; f < count; f++) {
    const start = (first + f) * hop - pad;
    for (let t = 0; t < nFft; t++) {
      out[f * nFft + t] = samples[reflectIndex(start + t, samples.length)] * window[t];
    }
  }
  return out;
}

/** The log-mel on onnxruntime-web (wasm). Same output as `logMel` on the GPU. */
export class LogMelWasm {
  private constructor(private readonly model: OrtModel) {}

  static async create(): Promise<LogMelWasm> {
    return new LogMelWasm(await OrtModel.create(buildLogMelOnnx()));
  }

  /**
   * Runs in chunks of WASM_CHUNK_FRAMES frames, yielding to the event loop
   * between them so a long recording does not freeze the page in one piece.
   * @returns row-major [80, floor(N / 256) + 1]
   */
  async run(samples: Float32Array): Promise<Float32Array> {
    assert(samples.length > 0, 'logMel: no samples (expected at least 1, got 0)');
    const frames = melFrameCount(samples.length);
    const out = new Float32Array(MEL.bands * frames);
    for (let first = 0; first < frames; first += WASM_CHUNK_FRAMES) {
      const count = Math.min(WASM_CHUNK_FRAMES, frames - first);
      const part = await this.model.run({
        frames: { data: windowedFrames(samples, first, count), shape: [count, MEL.nFft] },
      });
      const mel = part.logMel.data; // [bands, count]
      for (let b = 0; b < MEL.bands; b++) {
        out.set(mel.subarray(b * count, (b + 1) * count), b * frames + first);
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return out;
  }

  async release(): Promise<void> {
    await this.model.release();
  }
}
