import { log } from './log';

/** Bucket sizes to powers of two (min 256 B) so freed buffers are found again. */
export function bucketSize(bytes: number): number {
  let size = 256;
  while (size < bytes) size *= 2;
  return size;
}

export interface PoolStats {
  /** buffers handed out and not yet released */
  liveBuffers: number;
  /** bytes of all buffers the pool owns (live + pending + free) */
  totalBytes: number;
  /** highest totalBytes seen */
  peakBytes: number;
  freeBuffers: number;
}

/**
 * Owns every GPUBuffer of one usage (storage or uniform). A released buffer waits in `pending` until the
 * next queue submit, so a queue.writeBuffer to a recycled buffer can never race
 * commands still sitting in an unsubmitted encoder.
 */
export class BufferPool {
  private free = new Map<number, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  private live = 0;
  private total = 0;
  private peak = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
  ) {}

  acquire(bytes: number, label: string): GPUBuffer {
    const size = bucketSize(bytes);
    const reused = this.free.get(size)?.pop();
    this.live++;
    if (reused) return reused;
    let buffer: GPUBuffer;
    try {
      buffer = this.device.createBuffer({ size, usage: this.usage, label });
    } catch (err) {
      // NOTE: out of memory: give cached buffers back and try once more.
      this.trim();
      try {
        buffer = this.device.createBuffer({ size, usage: this.usage, label });
      } catch {
        this.live--;
        throw new Error(
          `BufferPool: allocation of ${size} bytes failed (pool holds ${this.total} bytes, ` +
            `${this.live} live buffers): ${String(err)}`,
        );
      }
    }
    this.total += size;
    this.peak = Math.max(this.peak, this.total);
    return buffer;
  }

  release(buffer: GPUBuffer): void {
    this.live--;
    this.pending.push(buffer);
  }

  /** Called right after queue.submit: pending buffers become reusable. */
  afterSubmit(): void {
    for (const buffer of this.pending) {
      const list = this.free.get(buffer.size) ?? [];
      list.push(buffer);
      this.free.set(buffer.size, list);
    }
    this.pending = [];
  }

  /** Destroys every cached free buffer. */
  trim(): void {
    let freed = 0;
    for (const list of this.free.values()) {
      for (const buffer of list) {
        freed += buffer.size;
        buffer.destroy();
      }
    }
    this.free.clear();
    this.total -= freed;
    if (freed > 0) log('debug', 'pool', `trimmed ${freed} bytes`);
  }

  stats(): PoolStats {
    let freeBuffers = 0;
    for (const list of this.free.values()) freeBuffers += list.length;
    return { liveBuffers: this.live, totalBytes: this.total, peakBytes: this.peak, freeBuffers };
  }
}
