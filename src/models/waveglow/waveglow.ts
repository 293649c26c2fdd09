// WaveGlow (Prenger, Valle, Catanzaro 2019) on the engine: the twin of
// WaveGlow in training/waveglow/model.py. infer() runs the flows backwards
// (noise -> audio, conditioned on a mel); forward() runs them the likelihood
// way (audio -> z and the per-sample negative log-likelihood) from
// differentiable ops, so backward() trains it.
import { assert, fail, ok, type Result } from '../../engine/assert';
import { needsGrad, noGrad } from '../../engine/autograd';
import type { Gpu } from '../../engine/gpu';
import { affineCoupling, affineCouplingInverse } from '../../engine/ops/affine-coupling';
import { add, sub } from '../../engine/ops/binary';
import { concat } from '../../engine/ops/concat';
import { convTranspose1d } from '../../engine/ops/conv-transpose1d';
import { logAbsDet, matrixInverse } from '../../engine/ops/matrix-inverse';
import { matmul } from '../../engine/ops/matmul';
import { sum } from '../../engine/ops/reduce';
import { reshape } from '../../engine/ops/reshape';
import { slice } from '../../engine/ops/slice';
import { scale, square } from '../../engine/ops/unary';
import { scope, shapeText, tensor, type Tensor } from '../../engine/tensor';
import { exactOverlap, outputSamples, planChunks } from './chunks';
import { parseWaveGlowConfig, upsampleKernel, type WaveGlowConfig } from './config';
import { IdentityCache, foldSpect, groupAudio, ungroupAudio } from './fold';
import { gaussianNoise, type NoiseSource } from './noise';
import { waveNet } from './wn';
import { loadWaveGlowWeights, type LoadWeightsOptions, type WaveGlowWeights } from './weights';

export interface WaveGlowForward {
  /** [N, n_group, T/n_group]: early channels first, as forward() in model.py */
  z: Tensor;
  /** [1]: NLL per audio sample in nats, without the constant, as waveglow_loss */
  nll: Tensor;
}

export interface ChunkedOptions {
  /** context frames on each side; default exactOverlap(config) (matches one-shot) */
  overlapFrames?: number | { left: number; right: number };
  /** where z comes from; default gaussianNoise(seed) */
  noise?: NoiseSource;
  /** seed of the default noise; default 1 */
  seed?: number;
}

/** Throws when `mel` is not finite, naming the first bad band and frame. */
function assertFiniteMel(op: string, values: Float32Array, shape: readonly number[]): void {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad < 0) return;
  const [, bands, frames] = shape;
  const item = Math.floor(bad / (bands * frames));
  const band = Math.floor(bad / frames) % bands;
  const frame = bad % frames;
  throw new Error(
    `${op}: mel holds ${values[bad]} at item ${item}, band ${band}, frame ${frame} ` +
      '(expected finite log-mel values)',
  );
}

export class WaveGlow {
  private readonly eyes: IdentityCache;
  readonly config: WaveGlowConfig;

  constructor(
    readonly gpu: Gpu,
    readonly weights: WaveGlowWeights,
  ) {
    this.config = weights.config;
    this.eyes = new IdentityCache(gpu);
  }

  /** config.json (text or parsed) + weights.safetensors bytes -> a model on the GPU. */
  static load(
    gpu: Gpu,
    configJson: unknown,
    weightBytes: ArrayBuffer | Uint8Array,
    opts: LoadWeightsOptions = {},
  ): Result<WaveGlow> {
    const config = parseWaveGlowConfig(configJson);
    if (!config.ok) return config;
    const weights = loadWaveGlowWeights(gpu, weightBytes, config.value, opts);
    if (!weights.ok) return fail(weights.error);
    return ok(new WaveGlow(gpu, weights.value));
  }

  dispose(): void {
    this.weights.dispose();
    this.eyes.dispose();
  }

  /** Samples that `frames` mel frames synthesise to. */
  outputSamples(frames: number): number {
    return outputSamples(this.config, frames);
  }

  /** Shape of the noise infer() takes for `frames` frames (batch 1). */
  noiseShape(frames: number): [number, number, number] {
    const g = this.config.n_group;
    return [1, g, this.outputSamples(frames) / g];
  }

  private checkMel(op: string, mel: Tensor): void {
    const nMel = this.config.n_mel_channels;
    assert(
      mel.rank === 3 && mel.shape[1] === nMel,
      () =>
        `${op}: mel must be [N, ${nMel}, frames] (got ${shapeText(mel.shape)}` +
        `${mel.rank === 3 ? `: ${mel.shape[1]} bands, the model has ${nMel}` : ''})`,
    );
    assert(
      mel.shape[0] >= 1 && mel.shape[2] >= 1,
      () => `${op}: empty mel ${shapeText(mel.shape)}`,
    );
  }

  /** Mel [N, n_mel, F] -> [N, n_mel, (F-1)*hop + K] (ConvTranspose1d, stride hop). */
  private upsample(mel: Tensor): Tensor {
    return convTranspose1d(
      mel,
      this.weights.get('upsample.weight'),
      this.weights.get('upsample.bias'),
      {
        stride: this.config.hop_length,
      },
    );
  }

  /**
   * Synthesis, exactly as WaveGlow.infer in model.py: mel [N, n_mel, frames]
   * and standard normal noise [N, n_group, groups] (noiseShape) -> audio
   * [N, groups * n_group]. Reads the mel back once to reject NaN / Inf.
   * @returns a new tensor (caller disposes)
   */
  async infer(mel: Tensor, noise: Tensor, sigma = 1): Promise<Tensor> {
    this.checkMel('WaveGlow.infer', mel);
    assertFiniteMel('WaveGlow.infer', await mel.read(), mel.shape);
    return this.inferUnchecked(mel, noise, sigma);
  }

  /** infer() without the finiteness check of the mel (no GPU round trip). */
  inferUnchecked(mel: Tensor, noise: Tensor, sigma = 1): Tensor {
    const op = 'WaveGlow.infer';
    this.checkMel(op, mel);
    const c = this.config;
    const g = c.n_group;
    const [batch, , frames] = mel.shape;
    const groups = this.outputSamples(frames) / g;
    assert(groups > 0, () => `${op}: ${frames} frame(s) give no complete group of ${g} samples`);
    assert(
      shapeText(noise.shape) === shapeText([batch, g, groups]),
      () =>
        `${op}: noise shape (expected ${shapeText([batch, g, groups])} for ${frames} frames, ` +
        `got ${shapeText(noise.shape)})`,
    );
    assert(Number.isFinite(sigma) && sigma >= 0, () => `${op}: sigma must be >= 0 (got ${sigma})`);
    return noGrad(() =>
      scope(this.gpu, () => {
        const up = this.upsample(mel);
        // trim the transposed conv's tail (kernel - stride), then whole groups
        const spect = foldSpect(slice(up, 2, 0, groups * g), g, this.eyes);
        const early = g - this.remainingChannels();
        let audio = scale(slice(noise, 1, early, g), sigma);
        let taken = early;
        for (let k = c.n_flows - 1; k >= 0; k--) {
          const prev = audio;
          audio = scope(this.gpu, () => {
            const n = audio.shape[1];
            const half = Math.floor(n / 2);
            const a0 = slice(audio, 1, 0, half);
            const wn = waveNet(this.weights, k, a0, spect);
            const a1 = affineCouplingInverse(slice(audio, 1, half, n), wn);
            const w = reshape(this.weights.get(`convinv.${k}.conv.weight`), [n, n]);
            let out = matmul(matrixInverse(w), concat([a0, a1], 1));
            if (k % c.n_early_every === 0 && k > 0) {
              const z = slice(noise, 1, taken - c.n_early_size, taken);
              taken -= c.n_early_size;
              out = concat([scale(z, sigma), out], 1);
            }
            return out;
          });
          prev.dispose();
        }
        return ungroupAudio(audio, this.eyes);
      }),
    );
  }

  private remainingChannels(): number {
    const c = this.config;
    const exits = Math.floor((c.n_flows - 1) / c.n_early_every);
    return c.n_group - exits * c.n_early_size;
  }

  /**
   * The likelihood direction, as forward + waveglow_loss in model.py: mel
   * [N, n_mel, frames] and audio [N, T] (T a multiple of n_group, at most
   * (frames-1)*hop + kernel) -> z and the NLL per sample. Built from
   * differentiable ops: with trainable weights (or inputs), call it inside a
   * scope, run backward(nll), and let the scope free the graph. Without
   * gradients, intermediates are freed as it goes.
   */
  forward(mel: Tensor, audio: Tensor, sigma = 1): WaveGlowForward {
    const op = 'WaveGlow.forward';
    this.checkMel(op, mel);
    const c = this.config;
    const g = c.n_group;
    const [batch, , frames] = mel.shape;
    assert(
      audio.rank === 2 && audio.shape[0] === batch,
      () => `${op}: audio must be [${batch}, samples] (got ${shapeText(audio.shape)})`,
    );
    const samples = audio.shape[1];
    const reach = (frames - 1) * c.hop_length + upsampleKernel(c);
    assert(
      samples > 0 && samples % g === 0 && samples <= reach,
      () =>
        `${op}: audio length must be a positive multiple of ${g} and at most ${reach} ` +
        `for ${frames} frames (got ${samples})`,
    );
    assert(Number.isFinite(sigma) && sigma > 0, () => `${op}: sigma must be > 0 (got ${sigma})`);
    const training = needsGrad([mel, audio, ...this.weights.parameters()]);
    // NOTE: backward closures hold their inputs, so a trained graph must not be freed early
    const step = <T>(fn: () => T): T => (training ? fn() : scope(this.gpu, fn));
    return step(() => {
      const spect = foldSpect(slice(this.upsample(mel), 2, 0, samples), g, this.eyes);
      let x = groupAudio(audio, g, this.eyes);
      const exits: Tensor[] = [];
      let penalty: Tensor | null = null; // sum of log_s + log|det W| terms
      for (let k = 0; k < c.n_flows; k++) {
        if (k % c.n_early_every === 0 && k > 0) {
          exits.push(slice(x, 1, 0, c.n_early_size));
          x = slice(x, 1, c.n_early_size, x.shape[1]);
        }
        const input = x;
        const flow = step(() => {
          const n = input.shape[1];
          const half = Math.floor(n / 2);
          const w = reshape(this.weights.get(`convinv.${k}.conv.weight`), [n, n]);
          const mixed = matmul(w, input);
          const logDet = scale(logAbsDet(w), batch * input.shape[2]);
          const a0 = slice(mixed, 1, 0, half);
          const wn = waveNet(this.weights, k, a0, spect);
          const a1 = affineCoupling(slice(mixed, 1, half, n), wn);
          const logS = sum(slice(wn, 1, half, 2 * half));
          return { out: concat([a0, a1], 1), terms: add(logS, logDet) };
        });
        // NOTE: without a graph the flow's input is dead (early exits are copies)
        if (!training) input.dispose();
        x = flow.out;
        penalty = penalty ? add(penalty, flow.terms) : flow.terms;
      }
      const z = exits.length > 0 ? concat([...exits, x], 1) : x;
      const energy = scale(sum(square(z)), 1 / (2 * sigma * sigma));
      const nll = scale(sub(energy, penalty!), 1 / z.size);
      return { z, nll };
    });
  }

  /**
   * Synthesis of a long mel [1, n_mel, frames] in chunks of `chunkFrames`
   * frames with context on both sides (see chunks.ts), so GPU memory stays
   * bounded by the chunk size. Calls `onChunk` with each chunk's samples, in
   * order; together they are the one-shot output (same length; equal up to
   * rounding with the default exact overlap, seams differ with less).
   */
  async inferChunked(
    mel: Tensor,
    sigma: number,
    chunkFrames: number,
    onChunk: (samples: Float32Array) => void | Promise<void>,
    opts: ChunkedOptions = {},
  ): Promise<void> {
    const op = 'WaveGlow.inferChunked';
    this.checkMel(op, mel);
    assert(mel.shape[0] === 1, () => `${op}: batch must be 1 (got ${mel.shape[0]})`);
    assertFiniteMel(op, await mel.read(), mel.shape);
    const o = opts.overlapFrames ?? exactOverlap(this.config);
    const overlap = typeof o === 'number' ? { left: o, right: o } : o;
    const noise = opts.noise ?? gaussianNoise(opts.seed ?? 1);
    const g = this.config.n_group;
    for (const chunk of planChunks(this.config, mel.shape[2], chunkFrames, overlap)) {
      const audio = scope(this.gpu, () => {
        const part = slice(mel, 2, chunk.melStart, chunk.melEnd);
        const z = tensor(this.gpu, noise(g, chunk.groupStart, chunk.groups), [1, g, chunk.groups]);
        return this.inferUnchecked(part, z, sigma);
      });
      const samples = await audio.read();
      audio.dispose();
      await onChunk(samples.slice(chunk.keepStart, chunk.keepEnd));
    }
  }
}
