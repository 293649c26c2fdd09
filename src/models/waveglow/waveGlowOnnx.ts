// WaveGlow synthesis (mel + noise -> audio) as an ONNX graph for
// onnxruntime-web's wasm backend, the fallback where WebGPU is missing or
// slower. Built here from whatever weights are active (default or fine-tuned),
// so no 16 MB F32 export is needed. Same steps as WaveGlow.inferUnchecked
// (waveglow.ts) and WaveGlow.infer in training/waveglow/model.py:
//   upsample (ConvTranspose, stride hop) -> trim to whole groups -> fold to
//   [1, n_mel*g, groups]; per flow k from last to first: WN(a0, spect) -> a1 =
//   (a1 - b) * exp(-log_s) -> W_k^-1 [a0; a1] (inverse in float64 here), early
//   noise re-joined in front; ungroup -> [1, samples].
// Noise comes in already scaled by sigma; the host runs it chunk by chunk (chunks.ts).
import { assert } from '../../engine/assert';
import { OrtModel } from '../../engine/ort/ortModel';
import type { NamedArray } from '../../io/safetensors';
import { writeOnnxModel, type OnnxAttribute, type OnnxNode } from '../../io/onnxWriter';
import { exactOverlap, outputSamples, planChunks } from './chunks';
import { flowChannels, type WaveGlowConfig } from './config';
import { gaussianNoise } from './noise';

type Initializer = { shape: number[]; data: Float32Array | BigInt64Array };

/** Names every intermediate and collects nodes and constants. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: Record<string, Initializer> = {};
  private count = 0;

  op(op: string, inputs: string[], attributes?: Record<string, OnnxAttribute>): string {
    const out = `${op.toLowerCase()}_${this.count++}`;
    this.nodes.push({ op, inputs, outputs: [out], attributes });
    return out;
  }

  split(input: string, parts: number, axis: number): string[] {
    const outs = Array.from({ length: parts }, () => `split_${this.count++}`);
    // NOTE: Split-13 without a `split` input cuts `axis` into equal parts
    this.nodes.push({ op: 'Split', inputs: [input], outputs: outs, attributes: { axis } });
    return outs;
  }

  weight(name: string, shape: number[], data: Float32Array): string {
    this.initializers[name] = { shape, data };
    return name;
  }

  ints(values: number[]): string {
    const name = `int64_${this.count++}`;
    this.initializers[name] = {
      shape: [values.length],
      data: BigInt64Array.from(values, (v) => BigInt(v)),
    };
    return name;
  }

  /** x[axis][start:end] with constant bounds */
  slice(x: string, axis: number, start: number, end: number): string {
    return this.op('Slice', [x, this.ints([start]), this.ints([end]), this.ints([axis])]);
  }
}

/** Inverse of a row-major n x n matrix by Gauss-Jordan with partial pivoting, in float64. */
export function invertMatrix(m: ArrayLike<number>, n: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    }
    assert(a[pivot * n + col] !== 0, `invertMatrix: singular matrix (column ${col})`);
    for (const x of [a, inv]) {
      for (let j = 0; j < n; j++) {
        const t = x[col * n + j];
        x[col * n + j] = x[pivot * n + j];
        x[pivot * n + j] = t;
      }
    }
    const d = a[col * n + col];
    for (let j = 0; j < n; j++) {
      a[col * n + j] /= d;
      inv[col * n + j] /= d;
    }
    for (let r = 0; r < n; r++) {
      const f = a[r * n + col];
      if (r === col || f === 0) continue;
      for (let j = 0; j < n; j++) {
        a[r * n + j] -= f * a[col * n + j];
        inv[r * n + j] -= f * inv[col * n + j];
      }
    }
  }
  return inv;
}

/**
 * The synthesis graph: inputs mel [1, n_mel, frames] and noise [1, g, groups]
 * (standard normal times sigma, groups = outputSamples(frames) / g); output
 * audio [1, groups * g]. `weights` are checked arrays (validateWaveGlowTensors).
 */
export function buildWaveGlowOnnx(
  config: WaveGlowConfig,
  weights: ReadonlyMap<string, NamedArray>,
): Uint8Array {
  const b = new GraphBuilder();
  const g = config.n_group;
  const nMel = config.n_mel_channels;
  const { n_layers: layers, kernel_size: ks } = config.WN_config;
  const w = (name: string): string => {
    const t = weights.get(name);
    assert(t, `WaveGlow ONNX: weight ${name} is missing`);
    return b.weight(name, t.shape, t.data);
  };

  // ---- mel -> folded spect [1, n_mel*g, groups]
  const up = b.op('ConvTranspose', ['mel', w('upsample.weight'), w('upsample.bias')], {
    strides: [config.hop_length],
  });
  // the trimmed length groups * g comes from the noise's shape
  const groups = b.slice(b.op('Shape', ['noise']), 0, 2, 3);
  const samples = b.op('Mul', [groups, b.ints([g])]);
  const trimmed = b.op('Slice', [up, b.ints([0]), samples, b.ints([2])]);
  const grouped = b.op('Reshape', [trimmed, b.ints([1, nMel, -1, g])]);
  const swapped = b.op('Transpose', [grouped], { perm: [0, 1, 3, 2] });
  const spect = b.op('Reshape', [swapped, b.ints([1, nMel * g, -1])]);

  // ---- flows, last to first
  const channels = flowChannels(config);
  const early = g - channels[config.n_flows - 1];
  let audio = b.slice('noise', 1, early, g);
  let taken = early;
  for (let k = config.n_flows - 1; k >= 0; k--) {
    const n = channels[k];
    const p = (name: string) => w(`WN.${k}.${name}`);
    const [a0, a1] = b.split(audio, 2, 1);
    // WN(a0, spect) -> [b; log_s]
    let x = b.op('Conv', [a0, p('start.weight'), p('start.bias')]);
    const cond = b.op('Conv', [spect, p('cond_layer.weight'), p('cond_layer.bias')]);
    const conds = layers > 1 ? b.split(cond, layers, 1) : [cond];
    let skip: string | null = null;
    for (let i = 0; i < layers; i++) {
      const dilation = 2 ** i;
      const pad = (ks * dilation - dilation) / 2;
      const pre = b.op('Conv', [x, p(`in_layers.${i}.weight`), p(`in_layers.${i}.bias`)], {
        dilations: [dilation],
        pads: [pad, pad],
      });
      const [t, s] = b.split(b.op('Add', [pre, conds[i]]), 2, 1);
      const acts = b.op('Mul', [b.op('Tanh', [t]), b.op('Sigmoid', [s])]);
      const resSkip = b.op('Conv', [
        acts,
        p(`res_skip_layers.${i}.weight`),
        p(`res_skip_layers.${i}.bias`),
      ]);
      let skipPart = resSkip;
      if (i < layers - 1) {
        const [res, sk] = b.split(resSkip, 2, 1);
        x = b.op('Add', [x, res]);
        skipPart = sk;
      }
      skip = skip ? b.op('Add', [skip, skipPart]) : skipPart;
    }
    const wn = b.op('Conv', [skip!, p('end.weight'), p('end.bias')]);
    const [shift, logS] = b.split(wn, 2, 1);
    const a1x = b.op('Mul', [b.op('Sub', [a1, shift]), b.op('Exp', [b.op('Neg', [logS])])]);
    const mixed = b.op('Concat', [a0, a1x], { axis: 1 });
    const conv = weights.get(`convinv.${k}.conv.weight`)!.data;
    const inverse = Float32Array.from(invertMatrix(conv, n));
    audio = b.op('Conv', [mixed, b.weight(`convinv.${k}.inverse`, [n, n, 1], inverse)]);
    if (k % config.n_early_every === 0 && k > 0) {
      const z = b.slice('noise', 1, taken - config.n_early_size, taken);
      taken -= config.n_early_size;
      audio = b.op('Concat', [z, audio], { axis: 1 });
    }
  }

  // ---- [1, g, groups] -> [1, groups * g]
  const ungrouped = b.op('Transpose', [audio], { perm: [0, 2, 1] });
  b.nodes.push({
    op: 'Reshape',
    inputs: [ungrouped, b.ints([1, -1])],
    outputs: ['audio'],
  });
  return writeOnnxModel({
    nodes: b.nodes,
    inputs: { mel: [1, nMel, 'frames'], noise: [1, g, 'groups'] },
    outputs: { audio: [1, 'samples'] },
    initializers: b.initializers,
  });
}

/** A log-mel row-major [bands, frames], as the speech store holds it. */
export interface HostMel {
  data: Float32Array;
  bands: number;
  frames: number;
}

/** WaveGlow synthesis on onnxruntime-web (wasm); same output as WaveGlow.inferChunked. */
export class WaveGlowWasm {
  private constructor(
    readonly config: WaveGlowConfig,
    private readonly model: OrtModel,
  ) {}

  /** Builds the graph from checked weights (config + validateWaveGlowTensors-checked arrays). */
  static async create(
    config: WaveGlowConfig,
    weights: ReadonlyMap<string, NamedArray>,
  ): Promise<WaveGlowWasm> {
    return new WaveGlowWasm(config, await OrtModel.create(buildWaveGlowOnnx(config, weights)));
  }

  /** Samples that `frames` mel frames synthesise to. */
  outputSamples(frames: number): number {
    return outputSamples(this.config, frames);
  }

  /** One-shot synthesis of mel frames with noise already scaled by sigma [g, groups]. */
  async infer(mel: HostMel, noise: Float32Array): Promise<Float32Array> {
    const g = this.config.n_group;
    const groups = this.outputSamples(mel.frames) / g;
    assert(groups > 0, `WaveGlow.infer: ${mel.frames} frame(s) give no complete group`);
    assert(
      noise.length === g * groups,
      () => `WaveGlow.infer: noise size (expected ${g * groups}, got ${noise.length})`,
    );
    const out = await this.model.run({
      mel: { data: mel.data, shape: [1, mel.bands, mel.frames] },
      noise: { data: noise, shape: [1, g, groups] },
    });
    return out.audio.data;
  }

  /**
   * Synthesis of a long mel in chunks of `chunkFrames` frames with the exact
   * overlap (chunks.ts), so memory stays bounded and seams match the one-shot
   * result. Calls `onChunk` with each chunk's kept samples, in order.
   * @throws when the band count is wrong or the mel holds NaN / Inf
   */
  async inferChunked(
    mel: HostMel,
    sigma: number,
    chunkFrames: number,
    onChunk: (samples: Float32Array) => void | Promise<void>,
    opts: { seed?: number } = {},
  ): Promise<void> {
    const op = 'WaveGlow.inferChunked';
    const c = this.config;
    assert(
      mel.bands === c.n_mel_channels && mel.frames >= 1,
      () =>
        `${op}: mel must be [1, ${c.n_mel_channels}, frames] (got [1, ${mel.bands}, ` +
        `${mel.frames}]: ${mel.bands} bands, the model has ${c.n_mel_channels})`,
    );
    assert(
      mel.data.length === mel.bands * mel.frames,
      () => `${op}: mel data length (expected ${mel.bands * mel.frames}, got ${mel.data.length})`,
    );
    const bad = mel.data.findIndex((v) => !Number.isFinite(v));
    assert(
      bad < 0,
      () =>
        `${op}: mel holds ${mel.data[bad]} at item 0, band ${Math.floor(bad / mel.frames)}, ` +
        `frame ${bad % mel.frames} (expected finite log-mel values)`,
    );
    assert(Number.isFinite(sigma) && sigma >= 0, () => `${op}: sigma must be >= 0 (got ${sigma})`);
    const noise = gaussianNoise(opts.seed ?? 1);
    const g = c.n_group;
    for (const chunk of planChunks(c, mel.frames, chunkFrames, exactOverlap(c))) {
      const frames = chunk.melEnd - chunk.melStart;
      const part = new Float32Array(mel.bands * frames);
      for (let band = 0; band < mel.bands; band++) {
        const from = band * mel.frames + chunk.melStart;
        part.set(mel.data.subarray(from, from + frames), band * frames);
      }
      const z = noise(g, chunk.groupStart, chunk.groups).map((v) => v * sigma);
      const audio = await this.infer({ data: part, bands: mel.bands, frames }, z);
      await onChunk(audio.slice(chunk.keepStart, chunk.keepEnd));
      // wasm runs on this thread: let the page paint between chunks
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  async release(): Promise<void> {
    await this.model.release();
  }
}
