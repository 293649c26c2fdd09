// Plays synthesis while it is computed: each finished chunk is scheduled on
// a Web Audio context right after the previous one. When chunks come slower
// than real time, playback waits for the next one (a gap), never overlaps.

/** Seconds of lead before a chunk starts, so scheduling never lands in the past. */
const LEAD_S = 0.05;

export class StreamPlayer {
  private readonly context: AudioContext;
  private readonly sources = new Set<AudioBufferSourceNode>();
  /** context time at which the next chunk starts */
  private next = 0;
  /** chunks that had to wait because the previous one had already ended */
  underruns = 0;

  /** Throws where Web Audio is missing (the caller then skips live playback). */
  constructor(readonly sampleRate: number) {
    // NOTE: at the model's rate, so the browser resamples for the output device
    this.context = new AudioContext({ sampleRate });
  }

  /** Queues `samples` to play after everything queued so far. */
  push(samples: Float32Array): void {
    if (samples.length === 0 || this.context.state === 'closed') return;
    const buffer = this.context.createBuffer(1, samples.length, this.sampleRate);
    buffer.getChannelData(0).set(samples);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    const earliest = this.context.currentTime + LEAD_S;
    if (this.next < earliest) {
      if (this.next > 0) this.underruns++;
      this.next = earliest;
    }
    source.start(this.next);
    this.next += buffer.duration;
    this.sources.add(source);
    source.onended = () => this.sources.delete(source);
    void this.context.resume();
  }

  /** Stops what plays and frees the context. */
  close(): void {
    for (const source of this.sources) {
      try {
        source.stop();
      } catch {
        // never started: nothing to stop
      }
    }
    this.sources.clear();
    void this.context.close().catch(() => undefined);
  }
}
