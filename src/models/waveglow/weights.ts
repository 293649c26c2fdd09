// WaveGlow's weights: the folded (weight-norm free) tensors that
// training/waveglow/export.py and convert_nvidia.py write, checked against
// the config by name and shape, then uploaded to the GPU in one object that
// owns them (load / dispose in pairs).
import { fail, ok, type Result } from '../../engine/assert';
import type { Gpu } from '../../engine/gpu';
import { shapeText, tensor, type Tensor } from '../../engine/tensor';
import { parseSafetensors, type NamedArray } from '../../io/safetensors';
import { flowChannels, upsampleKernel, type WaveGlowConfig } from './config';

/** Every tensor the config implies, name -> shape (NVIDIA's names, weight norm folded). */
export function expectedWaveGlowShapes(c: WaveGlowConfig): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  const nMel = c.n_mel_channels;
  const { n_layers: layers, n_channels: ch, kernel_size: ks } = c.WN_config;
  shapes.set('upsample.weight', [nMel, nMel, upsampleKernel(c)]);
  shapes.set('upsample.bias', [nMel]);
  flowChannels(c).forEach((channels, k) => {
    const half = channels / 2;
    const wn = `WN.${k}`;
    shapes.set(`convinv.${k}.conv.weight`, [channels, channels, 1]);
    shapes.set(`${wn}.start.weight`, [ch, half, 1]);
    shapes.set(`${wn}.start.bias`, [ch]);
    shapes.set(`${wn}.end.weight`, [2 * half, ch, 1]);
    shapes.set(`${wn}.end.bias`, [2 * half]);
    shapes.set(`${wn}.cond_layer.weight`, [2 * ch * layers, nMel * c.n_group, 1]);
    shapes.set(`${wn}.cond_layer.bias`, [2 * ch * layers]);
    for (let i = 0; i < layers; i++) {
      const resSkip = i < layers - 1 ? 2 * ch : ch;
      shapes.set(`${wn}.in_layers.${i}.weight`, [2 * ch, ch, ks]);
      shapes.set(`${wn}.in_layers.${i}.bias`, [2 * ch]);
      shapes.set(`${wn}.res_skip_layers.${i}.weight`, [resSkip, ch, 1]);
      shapes.set(`${wn}.res_skip_layers.${i}.bias`, [resSkip]);
    }
  });
  return shapes;
}

const MAX_LISTED = 6;

function hint(name: string): string {
  if (/_[gv]$/.test(name)) {
    return (
      ' (weight norm not folded: ' + 'export with training/waveglow/export.py or convert_nvidia.py)'
    );
  }
  if (/\.(cond_layers|res_layers|skip_layers)\./.test(name)) {
    return " (NVIDIA's older WN layout: convert it with training/waveglow/convert_nvidia.py)";
  }
  return '';
}

/** Checks names and shapes of `tensors` against the config; lists every problem (up to 6). */
export function validateWaveGlowTensors(
  tensors: ReadonlyMap<string, NamedArray>,
  config: WaveGlowConfig,
): Result<void> {
  const expected = expectedWaveGlowShapes(config);
  const problems: string[] = [];
  for (const [name, shape] of expected) {
    const t = tensors.get(name);
    if (!t) problems.push(`${name} is missing (expected shape ${shapeText(shape)})`);
    else if (shapeText(t.shape) !== shapeText(shape)) {
      problems.push(`${name} shape (expected ${shapeText(shape)}, got ${shapeText(t.shape)})`);
    }
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name)) problems.push(`unexpected tensor ${name}${hint(name)}`);
  }
  if (problems.length === 0) return ok(undefined);
  const listed = problems.slice(0, MAX_LISTED);
  if (problems.length > MAX_LISTED) listed.push(`and ${problems.length - MAX_LISTED} more`);
  return fail(
    `WaveGlow weights do not match the config (${problems.length} problem(s); is this ` +
      `config.json the one exported with these weights?): ${listed.join('; ')}`,
  );
}

/** The model's tensors on the GPU; dispose() frees them all. */
export class WaveGlowWeights {
  private constructor(
    readonly config: WaveGlowConfig,
    private readonly tensors: Map<string, Tensor>,
  ) {}

  /** Uploads already validated arrays (use `loadWaveGlowWeights`). */
  static upload(
    gpu: Gpu,
    arrays: ReadonlyMap<string, NamedArray>,
    config: WaveGlowConfig,
    requiresGrad: boolean,
  ): WaveGlowWeights {
    const tensors = new Map<string, Tensor>();
    for (const [name, shape] of expectedWaveGlowShapes(config)) {
      // NOTE: keep(): the weights outlive any scope the caller loads them in
      tensors.set(name, tensor(gpu, arrays.get(name)!.data, shape, requiresGrad).keep());
    }
    return new WaveGlowWeights(config, tensors);
  }

  get(name: string): Tensor {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`WaveGlowWeights: no tensor ${name}`);
    if (t.disposed) throw new Error('WaveGlowWeights: used after dispose()');
    return t;
  }

  /** Every tensor, by name (for an optimizer; grads accumulate on these). */
  named(): ReadonlyMap<string, Tensor> {
    return this.tensors;
  }

  parameters(): Tensor[] {
    return [...this.tensors.values()];
  }

  /** Reads every tensor back (for saving after training). */
  async toArrays(): Promise<Map<string, NamedArray>> {
    const out = new Map<string, NamedArray>();
    for (const [name, t] of this.tensors)
      out.set(name, { shape: [...t.shape], data: await t.read() });
    return out;
  }

  dispose(): void {
    for (const t of this.tensors.values()) {
      t.grad?.dispose();
      t.dispose();
    }
  }
}

export interface LoadWeightsOptions {
  /** mark the weights as trainable leaves (for forward + backward) */
  requiresGrad?: boolean;
}

/**
 * Parses weights.safetensors (F32, F16 or BF16), checks every tensor against
 * `config` and uploads them. Failures (truncated file, wrong or missing
 * tensors) come back as messages naming the tensor and both shapes.
 */
export function loadWaveGlowWeights(
  gpu: Gpu,
  bytes: ArrayBuffer | Uint8Array,
  config: WaveGlowConfig,
  opts: LoadWeightsOptions = {},
): Result<WaveGlowWeights> {
  const tensors = parseWaveGlowWeights(bytes, config);
  if (!tensors.ok) return tensors;
  return ok(WaveGlowWeights.upload(gpu, tensors.value, config, opts.requiresGrad ?? false));
}

/**
 * The CPU half of loading: weights.safetensors parsed and checked against `config` (every
 * tensor present, of its shape, finite), so saved weights can be judged without a GPU.
 */
export function parseWaveGlowWeights(
  bytes: ArrayBuffer | Uint8Array,
  config: WaveGlowConfig,
): Result<Map<string, NamedArray>> {
  const parsed = parseSafetensors(bytes);
  if (!parsed.ok) return fail(`WaveGlow weights: ${parsed.error}`);
  const checked = validateWaveGlowTensors(parsed.value.tensors, config);
  if (!checked.ok) return checked;
  for (const [name, t] of parsed.value.tensors) {
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      return fail(`WaveGlow weights: ${name} holds a non-finite value (${t.data[bad]} at ${bad})`);
    }
  }
  return ok(parsed.value.tensors);
}
