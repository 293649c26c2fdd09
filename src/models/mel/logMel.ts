// The log-mel front end on the GPU: framing (stft-frames.wgsl), the DFT as a
// matmul with a cos/sin basis, magnitudes (mel-magnitude.wgsl), the mel
// filterbank as a second matmul, and ln(max(x, 1e-5)) (log-clamp.wgsl).
// Long recordings go through in chunks of frames so no intermediate buffer
// or dispatch grows with the recording.
import framesCode from '../../../shaders/stft-frames.wgsl?raw';
import magnitudeCode from '../../../shaders/mel-magnitude.wgsl?raw';
import logClampCode from '../../../shaders/log-clamp.wgsl?raw';
import { assert } from '../../engine/assert';
import { grid1d, packUniform, type Gpu } from '../../engine/gpu';
import { runMatmul } from '../../engine/ops/matmul';
import { empty, scope, tensor, type Tensor } from '../../engine/tensor';
import { hannWindow, MEL, melFrameCount } from './melConfig';
import { melFilterbank } from './melFilters';

/** 1024 frames: a 1 GFLOP DFT matmul per chunk, ~4 MiB per intermediate. */
export const DEFAULT_CHUNK_FRAMES = 1024;

interface MelConstants {
  /** periodic Hann, [nFft] */
  window: Tensor;
  /** DFT basis [nFft, 2 * bins]: column 2k is cos(2 pi t k / nFft), 2k + 1 is -sin */
  basis: Tensor;
  /** Slaney filterbank [bands, bins] */
  filterbank: Tensor;
}

const constants = new WeakMap<Gpu, MelConstants>();

/** The basis as float64 rounded once to f32: cos and -sin of 2 pi (t k mod nFft) / nFft. */
export function dftBasis(nFft: number = MEL.nFft): Float32Array {
  const bins = nFft / 2 + 1;
  const out = new Float32Array(nFft * 2 * bins);
  for (let t = 0; t < nFft; t++) {
    for (let k = 0; k < bins; k++) {
      const angle = (2 * Math.PI * ((t * k) % nFft)) / nFft;
      out[t * 2 * bins + 2 * k] = Math.cos(angle);
      out[t * 2 * bins + 2 * k + 1] = -Math.sin(angle);
    }
  }
  return out;
}

/** Window, basis and filterbank for `gpu`, uploaded once per Gpu (kept outside any scope). */
function melConstants(gpu: Gpu): MelConstants {
  let c = constants.get(gpu);
  if (!c) {
    const { nFft, bins, bands } = MEL;
    c = {
      window: tensor(gpu, Float32Array.from(hannWindow(nFft)), [nFft]).keep(),
      basis: tensor(gpu, dftBasis(nFft), [nFft, 2 * bins]).keep(),
      filterbank: tensor(gpu, Float32Array.from(melFilterbank()), [bands, bins]).keep(),
    };
    constants.set(gpu, c);
  }
  return c;
}

export interface LogMelOptions {
  /** frames per chunk (default 1024) */
  chunkFrames?: number;
}

/**
 * Log-mel spectrogram of 22050 Hz mono `samples` (values in [-1, 1]) with the
 * WaveGlow / Tacotron 2 settings in `MEL`.
 * @returns a new tensor [80, floor(N / 256) + 1] (caller disposes)
 * @throws when `samples` is empty
 */
export async function logMel(
  gpu: Gpu,
  samples: Float32Array,
  opts: LogMelOptions = {},
): Promise<Tensor> {
  assert(samples.length > 0, 'logMel: no samples (expected at least 1, got 0)');
  const chunkFrames = opts.chunkFrames ?? DEFAULT_CHUNK_FRAMES;
  assert(
    Number.isInteger(chunkFrames) && chunkFrames > 0,
    () => `logMel: chunkFrames must be a positive integer (got ${chunkFrames})`,
  );
  const { nFft, hop, pad, bins, bands, clamp } = MEL;
  const frames = melFrameCount(samples.length);
  const c = melConstants(gpu);
  const WorkgroupSize = gpu.profile.elementwise.WorkgroupSize;
  const out = empty(gpu, [bands, frames], 'logMel.out');
  const signal = tensor(gpu, samples, [samples.length]);
  try {
    for (let f0 = 0; f0 < frames; f0 += chunkFrames) {
      const count = Math.min(chunkFrames, frames - f0);
      scope(gpu, () => {
        const framed = empty(gpu, [count, nFft], 'logMel.frames');
        gpu.dispatch({
          kernel: { name: 'stft-frames', code: framesCode, overrides: { WorkgroupSize } },
          buffers: [signal.buffer, c.window.buffer, framed.buffer],
          uniform: packUniform([samples.length, f0, count, nFft, hop, pad]),
          workgroups: grid1d(count * nFft, WorkgroupSize),
        });
        const spectrum = runMatmul(framed, c.basis); // [count, 2 * bins]
        const magnitude = empty(gpu, [count, bins], 'logMel.magnitude');
        gpu.dispatch({
          kernel: { name: 'mel-magnitude', code: magnitudeCode, overrides: { WorkgroupSize } },
          buffers: [spectrum.buffer, magnitude.buffer],
          uniform: packUniform([count * bins]),
          workgroups: grid1d(count * bins, WorkgroupSize),
        });
        const mel = runMatmul(c.filterbank, magnitude, { transB: true }); // [bands, count]
        gpu.dispatch({
          kernel: { name: 'log-clamp', code: logClampCode, overrides: { WorkgroupSize } },
          buffers: [mel.buffer, out.buffer],
          uniform: packUniform([bands, count, frames, f0, { f32: clamp }]),
          workgroups: grid1d(bands * count, WorkgroupSize),
        });
      });
      gpu.flush();
      // NOTE: waiting per chunk keeps the queue short, so one long recording
      // cannot stack up seconds of work in one submission (browser watchdog).
      if (f0 + count < frames) await gpu.device.queue.onSubmittedWorkDone();
    }
  } catch (err) {
    out.dispose();
    throw err;
  } finally {
    signal.dispose();
  }
  return out;
}
