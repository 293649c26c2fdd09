// How a long mel is cut for chunked synthesis. Each chunk synthesises the
// frames [melStart, melEnd) (its core frames plus context on both sides) and
// keeps only the samples of its core frames, so the kept pieces tile the
// one-shot output exactly. Context needed for an exact match:
//  - left: the upsampler spreads frame f over samples [f*hop, f*hop + K), so a
//    chunk's first K - hop samples miss earlier frames;
//  - both sides: each flow's WN sees (ks-1)/2 * (2^L - 1) groups either way,
//    n_flows of them in sequence, and conv zero padding replaces what is cut.
import { assert } from '../../engine/assert';
import { upsampleKernel, type WaveGlowConfig } from './config';

export interface Chunk {
  /** mel frames synthesised */
  melStart: number;
  melEnd: number;
  /** absolute index of the chunk's first group (its noise starts there) */
  groupStart: number;
  /** groups the chunk synthesises */
  groups: number;
  /** samples of the chunk's output that are kept: [keepStart, keepEnd) */
  keepStart: number;
  keepEnd: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Samples the one-shot synthesis of `frames` frames yields: floor(frames*hop/g)*g. */
export function outputSamples(c: WaveGlowConfig, frames: number): number {
  return Math.floor((frames * c.hop_length) / c.n_group) * c.n_group;
}

/** Context frames that make chunked synthesis match the one-shot result (up to rounding). */
export function exactOverlap(c: WaveGlowConfig): { left: number; right: number } {
  const { kernel_size: ks, n_layers: layers } = c.WN_config;
  const reachGroups = c.n_flows * ((ks - 1) / 2) * (2 ** layers - 1) + 1;
  const reach = reachGroups * c.n_group;
  const hop = c.hop_length;
  return {
    left: Math.ceil((upsampleKernel(c) - hop + reach) / hop),
    right: Math.ceil(reach / hop),
  };
}

/**
 * Cuts `frames` into chunks of `chunkFrames` core frames with `left`/`right`
 * context frames. Chunk starts fall on frames whose first sample starts a
 * group (multiples of g / gcd(hop, g)), so every chunk's groups line up with
 * the one-shot synthesis and its noise.
 */
export function planChunks(
  c: WaveGlowConfig,
  frames: number,
  chunkFrames: number,
  overlap: { left: number; right: number },
): Chunk[] {
  assert(
    Number.isInteger(chunkFrames) && chunkFrames > 0,
    () => `WaveGlow.inferChunked: chunkFrames must be a positive integer (got ${chunkFrames})`,
  );
  for (const side of ['left', 'right'] as const) {
    const v = overlap[side];
    assert(
      Number.isInteger(v) && v >= 0,
      () => `WaveGlow.inferChunked: ${side} overlap must be an integer >= 0 (got ${v})`,
    );
  }
  const hop = c.hop_length;
  const g = c.n_group;
  const quantum = g / gcd(hop, g);
  const step = Math.ceil(chunkFrames / quantum) * quantum;
  const left = Math.ceil(overlap.left / quantum) * quantum;
  const total = outputSamples(c, frames);
  const chunks: Chunk[] = [];
  for (let f0 = 0; f0 * hop < total; f0 += step) {
    const f1 = Math.min(frames, f0 + step);
    const melStart = Math.max(0, f0 - left);
    // NOTE: with hop % g != 0 a chunk must reach past its core for its last group
    const melEnd = Math.min(frames, f1 + Math.max(overlap.right, hop % g === 0 ? 0 : 1));
    const origin = melStart * hop;
    chunks.push({
      melStart,
      melEnd,
      groupStart: origin / g,
      groups: Math.floor(((melEnd - melStart) * hop) / g),
      keepStart: f0 * hop - origin,
      keepEnd: Math.min(f1 * hop, total) - origin,
    });
  }
  return chunks;
}
