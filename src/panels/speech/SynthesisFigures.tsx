// One line of figures for a synthesis: chunks, audio made, compute time (and,
// when done, where the rest of the job's time went), the speed as a multiple of
// real time with the compute per second of audio, and the GPU pool's peak (or
// that it ran on wasm, where there is no GPU memory to show).
import type { SynthesisProgress } from '../../jobs/vocoderCore';
import { speedText } from '../../jobs/vocoderSpeed';
import type { SynthesisView } from '../../state/synthesisStore';
import { jobTimeNote } from './synthesisTiming';

export interface SynthesisFiguresProps {
  /** figures of the running job (null before its first chunk) */
  live: SynthesisProgress | null;
  /** the finished synthesis, when not running */
  result: SynthesisView | null;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export function SynthesisFigures({ live, result }: SynthesisFiguresProps) {
  const f = result ?? live;
  if (!f) {
    return (
      <div className="synthesis-figures muted" data-testid="speech.synthesis.stats">
        Loading the model and synthesising the first chunk…
      </div>
    );
  }
  const rate = result?.sampleRate ?? 22050;
  const made = result ? result.samples.length : (live?.samplesDone ?? 0);
  const total = result ? result.samples.length : (live?.totalSamples ?? 0);
  return (
    <div className="synthesis-figures" data-testid="speech.synthesis.stats">
      {!result && live && (
        <span>
          chunk {live.chunk} of {live.chunks}
        </span>
      )}
      <span>
        {(made / rate).toFixed(2)} s{result ? '' : ` of ${(total / rate).toFixed(2)} s`} of audio
        {result ? ` (${result.samples.length} samples, ${result.chunks} chunks)` : ''}
      </span>
      <span data-testid="speech.synthesis.compute">
        compute {(f.computeMs / 1000).toFixed(1)} s
        {result && (
          <span className="muted" data-testid="speech.synthesis.jobtime">
            {' '}
            ({jobTimeNote(result)})
          </span>
        )}
      </span>
      <span
        data-testid="speech.synthesis.rtf"
        data-rtf={f.rtf}
        title="Audio seconds made per second of compute: above 1x is faster than real time"
      >
        <strong>{speedText(f.rtf)}</strong>
      </span>
      {f.backend === 'webgpu' ? (
        <span data-testid="speech.synthesis.peak" data-bytes={f.peakBytes}>
          peak GPU memory {mib(f.peakBytes)}
        </span>
      ) : (
        <span data-testid="speech.synthesis.peak" data-bytes={0}>
          on onnxruntime-web wasm (CPU, no GPU memory)
        </span>
      )}
    </div>
  );
}
