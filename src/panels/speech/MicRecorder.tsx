// Record / Stop for the microphone, with the elapsed time and a live level
// meter. A finished take is encoded as a 16-bit WAV file and handed to
// `onTake`, the same path as a chosen file (resampling, log-mel, saving).
// Problems (no permission, no microphone, a too short take) are said here
// and leave the current recording alone.
import { useEffect, useRef, useState } from 'react';
import { startMicCapture, type MicSession } from '../../io/micCapture';
import { checkTake, toDbfs, type MicLevel, type MicTake } from '../../io/micTake';
import { encodeWav16 } from '../../io/wavEncode';
import './MicRecorder.css';

export interface MicRecorderProps {
  /** a recording is being decoded or analysed: no new take yet */
  busy: boolean;
  onTake(file: File): void;
}

type Phase = 'idle' | 'starting' | 'recording';

/** m:ss.t */
function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - 60 * m;
  return `${m}:${s < 10 ? '0' : ''}${s.toFixed(1)}`;
}

function takeName(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
  return `Microphone ${day} ${time}.wav`;
}

/** "10 minute" or "1.5 s" */
function limitLabel(seconds: number): string {
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} minute` : `${seconds} s`;
}

/** -60 dBFS .. 0 dBFS as 0..1 of the meter. */
function meterFraction(level: MicLevel): number {
  return Math.min(1, Math.max(0, (toDbfs(level.rms) + 60) / 60));
}

export function MicRecorder({ busy, onTake }: MicRecorderProps) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [level, setLevel] = useState<MicLevel>({ rms: 0, peak: 0 });
  const session = useRef<MicSession | null>(null);
  const mounted = useRef(true);
  const started = useRef<Date>(new Date());
  // the worklet reports ~375 blocks a second; the display follows at 10 Hz
  const latest = useRef({ seconds: 0, level: { rms: 0, peak: 0 } as MicLevel });

  useEffect(() => {
    if (phase !== 'recording') return;
    const timer = setInterval(() => {
      setSeconds(latest.current.seconds);
      setLevel(latest.current.level);
    }, 100);
    return () => clearInterval(timer);
  }, [phase]);

  // leaving the panel ends a take in progress (and frees the microphone)
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      void session.current?.stop();
      session.current = null;
    };
  }, []);

  const finish = async (atCap: boolean): Promise<void> => {
    const s = session.current;
    if (!s) return;
    session.current = null;
    const take: MicTake = await s.stop();
    setPhase('idle');
    setSeconds(take.seconds);
    setLevel({ rms: 0, peak: 0 });
    const problem = checkTake(take);
    if (problem) {
      setError(problem);
      return;
    }
    if (atCap) setNote(`Recording stopped at the ${limitLabel(s.maxSeconds)} limit.`);
    const wav = encodeWav16(take.samples(), take.rate);
    onTake(new File([wav], takeName(started.current), { type: 'audio/wav' }));
  };

  const start = async (): Promise<void> => {
    setError(null);
    setNote(null);
    setSeconds(0);
    latest.current = { seconds: 0, level: { rms: 0, peak: 0 } };
    setPhase('starting');
    const result = await startMicCapture({
      onProgress: (secs, lvl) => {
        latest.current = { seconds: secs, level: lvl };
      },
      onCap: () => void finish(true),
    });
    // the panel closed while the browser asked for permission: free the microphone
    if (!mounted.current) {
      if (result.ok) void result.value.stop();
      return;
    }
    if (!result.ok) {
      setPhase('idle');
      setError(result.error.message);
      return;
    }
    session.current = result.value;
    started.current = new Date();
    setPhase('recording');
  };

  const recording = phase === 'recording';
  const dbfs = toDbfs(level.rms);
  return (
    <div className="mic" data-testid="speech.mic" data-phase={phase}>
      <div className="mic-row">
        {recording ? (
          <button
            type="button"
            className="mic-stop"
            data-testid="speech.mic.stop"
            onClick={() => void finish(false)}
          >
            ■ Stop
          </button>
        ) : (
          <button
            type="button"
            className="mic-record"
            data-testid="speech.mic.record"
            disabled={busy || phase === 'starting'}
            onClick={() => void start()}
          >
            ● Record
          </button>
        )}
        <span className="mic-elapsed" data-testid="speech.mic.elapsed" data-seconds={seconds}>
          {clock(seconds)}
        </span>
        {recording && (
          <span
            className="mic-meter"
            role="meter"
            aria-label="Input level"
            aria-valuemin={-60}
            aria-valuemax={0}
            aria-valuenow={Math.round(Math.max(-60, dbfs))}
            data-testid="speech.mic.level"
            data-dbfs={dbfs.toFixed(1)}
          >
            <span
              className={`mic-meter-fill${level.peak >= 0.99 ? ' mic-meter-clip' : ''}`}
              style={{ width: `${(100 * meterFraction(level)).toFixed(1)}%` }}
            />
          </span>
        )}
        <span className="muted mic-hint">
          {recording
            ? `${dbfs > -100 ? dbfs.toFixed(0) : '−∞'} dBFS · stops by itself at 10 minutes`
            : phase === 'starting'
              ? 'Asking for the microphone…'
              : 'or record from the microphone'}
        </span>
      </div>
      {note && (
        <div className="speech-note" data-testid="speech.mic.note">
          {note}
        </div>
      )}
      {error && (
        <div className="speech-error" data-testid="speech.mic.error" role="alert">
          <span>{error}</span>
          <button
            type="button"
            className="icon"
            aria-label="Dismiss"
            onClick={() => setError(null)}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}
