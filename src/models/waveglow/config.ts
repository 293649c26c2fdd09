// WaveGlow's config: the same JSON as training/waveglow/*.json (WaveGlowConfig
// in training/waveglow/model.py), validated field by field.
import { fail, ok, type Result } from '../../engine/assert';

export interface WNConfig {
  n_layers: number;
  n_channels: number;
  kernel_size: number;
}

export interface WaveGlowConfig {
  n_mel_channels: number;
  n_flows: number;
  n_group: number;
  n_early_every: number;
  n_early_size: number;
  sampling_rate: number;
  hop_length: number;
  win_length: number;
  /** the mel upsampler's kernel; 0 means win_length (NVIDIA's choice) */
  upsample_kernel: number;
  WN_config: WNConfig;
}

const DEFAULTS = { sampling_rate: 22050, win_length: 1024, upsample_kernel: 0 };

/** Kernel of the mel upsampler (ConvTranspose1d(n_mel, n_mel, kernel, stride=hop)). */
export function upsampleKernel(c: WaveGlowConfig): number {
  return c.upsample_kernel || c.win_length;
}

/** Channels of the audio entering flow k (before its early exit is taken). */
export function flowChannels(c: WaveGlowConfig): number[] {
  const out: number[] = [];
  let remaining = c.n_group;
  for (let k = 0; k < c.n_flows; k++) {
    if (k % c.n_early_every === 0 && k > 0) remaining -= c.n_early_size;
    out.push(remaining);
  }
  return out;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Checks a parsed config.json (or its text) and fills the optional fields.
 * Messages read `WaveGlow config: field (expected X, got Y)`.
 */
export function parseWaveGlowConfig(json: unknown): Result<WaveGlowConfig> {
  let raw = json;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch (err) {
      return fail(`WaveGlow config: not valid JSON (${(err as Error).message})`);
    }
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail('WaveGlow config: expected a JSON object');
  }
  const r = raw as Record<string, unknown>;
  const errors: string[] = [];
  const int = (obj: Record<string, unknown>, key: string, prefix: string, min: number): number => {
    const v = obj[key];
    if (v === undefined) errors.push(`${prefix}${key} is missing`);
    else if (!isInt(v) || v < min) {
      errors.push(`${prefix}${key} (expected an integer >= ${min}, got ${JSON.stringify(v)})`);
    }
    return v as number;
  };
  const withDefault = (key: keyof typeof DEFAULTS, min: number): number => {
    if (r[key] === undefined) return DEFAULTS[key];
    return int(r, key, '', min);
  };
  const known = new Set([
    'n_mel_channels',
    'n_flows',
    'n_group',
    'n_early_every',
    'n_early_size',
    'sampling_rate',
    'hop_length',
    'win_length',
    'upsample_kernel',
    'WN_config',
  ]);
  for (const key of Object.keys(r)) {
    if (!known.has(key)) errors.push(`unknown field ${key}`);
  }
  const config = {
    n_mel_channels: int(r, 'n_mel_channels', '', 1),
    n_flows: int(r, 'n_flows', '', 1),
    n_group: int(r, 'n_group', '', 2),
    n_early_every: int(r, 'n_early_every', '', 1),
    n_early_size: int(r, 'n_early_size', '', 0),
    sampling_rate: withDefault('sampling_rate', 1),
    hop_length: int(r, 'hop_length', '', 1),
    win_length: withDefault('win_length', 1),
    upsample_kernel: withDefault('upsample_kernel', 0),
  } as Omit<WaveGlowConfig, 'WN_config'>;
  const wnRaw = r.WN_config;
  let wn: WNConfig = { n_layers: 0, n_channels: 0, kernel_size: 0 };
  if (!wnRaw || typeof wnRaw !== 'object' || Array.isArray(wnRaw)) {
    errors.push('WN_config (expected an object {n_layers, n_channels, kernel_size})');
  } else {
    const w = wnRaw as Record<string, unknown>;
    for (const key of Object.keys(w)) {
      if (!['n_layers', 'n_channels', 'kernel_size'].includes(key)) {
        errors.push(`unknown field WN_config.${key}`);
      }
    }
    wn = {
      n_layers: int(w, 'n_layers', 'WN_config.', 1),
      n_channels: int(w, 'n_channels', 'WN_config.', 2),
      kernel_size: int(w, 'kernel_size', 'WN_config.', 1),
    };
  }
  if (errors.length > 0) return fail(`WaveGlow config: ${errors.join('; ')}`);
  // relations between fields, as the PyTorch model asserts them
  const c: WaveGlowConfig = { ...config, WN_config: wn };
  if (c.n_group % 2 !== 0) errors.push(`n_group must be even (got ${c.n_group})`);
  if (c.n_early_size % 2 !== 0) errors.push(`n_early_size must be even (got ${c.n_early_size})`);
  if (wn.kernel_size % 2 !== 1) {
    errors.push(`WN_config.kernel_size must be odd (got ${wn.kernel_size})`);
  }
  if (wn.n_channels % 2 !== 0) {
    errors.push(`WN_config.n_channels must be even (got ${wn.n_channels})`);
  }
  if (upsampleKernel(c) < c.hop_length) {
    const k = upsampleKernel(c);
    errors.push(`upsample kernel must be >= hop_length (expected >= ${c.hop_length}, got ${k})`);
  }
  const last = errors.length === 0 ? flowChannels(c).at(-1)! : 0;
  if (errors.length === 0 && last < 2) {
    errors.push(
      `early exits leave ${last} channels for the last flow (expected >= 2; ` +
        `n_group ${c.n_group}, n_flows ${c.n_flows}, n_early_every ${c.n_early_every}, ` +
        `n_early_size ${c.n_early_size})`,
    );
  }
  if (errors.length > 0) return fail(`WaveGlow config: ${errors.join('; ')}`);
  return ok(c);
}
