// One microphone take as it comes in: blocks of PCM samples at the capture
// rate, appended until Stop or the length cap; the live level of the last
// ~50 ms; and the check that a finished take is long enough to analyse.
// Pure (no browser API), so the cap and the checks are unit-tested.
import { MAX_AUDIO_SECONDS } from './audioTypes';

/** A take shorter than this is refused: it holds barely one log-mel frame of speech. */
export const MIN_TAKE_SECONDS = 0.2;

/** Level meter window, seconds. */
const LEVEL_WINDOW_S = 0.05;

export interface MicLevel {
  /** root mean square of the last ~50 ms, linear */
  rms: number;
  /** largest |sample| in that window */
  peak: number;
}

/** dBFS of a linear level, floored at -100 (silence). */
export function toDbfs(v: number): number {
  return v > 1e-5 ? 20 * Math.log10(v) : -100;
}

export class MicTake {
  private readonly blocks: Float32Array[] = [];
  private count = 0;
  private readonly cap: number;
  private recent: Float32Array;
  private recentAt = 0;
  private recentFilled = 0;

  constructor(
    readonly rate: number,
    maxSeconds = MAX_AUDIO_SECONDS,
  ) {
    this.cap = Math.floor(maxSeconds * rate);
    this.recent = new Float32Array(Math.max(1, Math.round(LEVEL_WINDOW_S * rate)));
  }

  /** Samples kept so far. */
  get length(): number {
    return this.count;
  }

  get seconds(): number {
    return this.count / this.rate;
  }

  /** True once the take holds maxSeconds: later blocks are dropped. */
  get full(): boolean {
    return this.count >= this.cap;
  }

  /** Appends a block (copied), cut at the cap; returns whether the take is now full. */
  append(block: Float32Array): boolean {
    const room = this.cap - this.count;
    if (room <= 0) return true;
    const kept = block.length <= room ? block.slice() : block.slice(0, room);
    this.blocks.push(kept);
    this.count += kept.length;
    for (const v of kept) {
      this.recent[this.recentAt] = v;
      this.recentAt = (this.recentAt + 1) % this.recent.length;
    }
    this.recentFilled = Math.min(this.recent.length, this.recentFilled + kept.length);
    return this.full;
  }

  /** Level of the last ~50 ms (zeros before anything arrived). */
  level(): MicLevel {
    let energy = 0;
    let peak = 0;
    for (let i = 0; i < this.recentFilled; i++) {
      const v = this.recent[i];
      energy += v * v;
      peak = Math.max(peak, Math.abs(v));
    }
    return { rms: this.recentFilled ? Math.sqrt(energy / this.recentFilled) : 0, peak };
  }

  /** True when every sample so far is exactly 0. */
  allZeros(): boolean {
    return this.blocks.every((b) => b.every((v) => v === 0));
  }

  /** The whole take as one array. */
  samples(): Float32Array {
    const out = new Float32Array(this.count);
    let at = 0;
    for (const b of this.blocks) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  }
}

/** Why a finished take cannot become the recording, or null when it can. */
export function checkTake(take: MicTake): string | null {
  if (take.seconds < MIN_TAKE_SECONDS) {
    return (
      `The take is ${take.seconds.toFixed(2)} s long; record at least ${MIN_TAKE_SECONDS} s ` +
      '(the previous recording was kept).'
    );
  }
  // NOTE: a muted or disconnected input delivers exact zeros, never real silence
  if (take.allZeros()) {
    return 'The take is all zeros: the microphone seems muted (the previous recording was kept).';
  }
  return null;
}
