// Microphone capture in the page: getUserMedia (no echo cancellation, noise
// suppression or gain control: the vocoder should hear the voice as it is),
// an AudioWorklet that posts each 128-frame block of raw float PCM to the
// main thread (no lossy codec on the way), and a MicTake that collects them
// at the AudioContext's rate. Resampling to 22050 Hz happens where a loaded
// file's does (the caller encodes the take as a WAV file and loads it).
import { fail, ok, type Result } from '../engine/assert';
import { MAX_AUDIO_SECONDS } from './audioTypes';
import { MicTake, type MicLevel } from './micTake';

export type MicErrorCode = 'unsupported' | 'denied' | 'no-device' | 'busy' | 'failed';

export interface MicError {
  code: MicErrorCode;
  message: string;
}

export interface MicSession {
  /** the capture rate (the AudioContext's), Hz */
  rate: number;
  /** the take's length cap, seconds */
  maxSeconds: number;
  /** Ends the capture and returns the take (also after an automatic stop at the cap). */
  stop(): Promise<MicTake>;
}

export interface MicOptions {
  /** the take's length cap, seconds (default: MAX_AUDIO_SECONDS, 10 minutes) */
  maxSeconds?: number;
  /** each block: seconds so far and the live level */
  onProgress?(seconds: number, level: MicLevel): void;
  /** the cap was reached; capture has stopped, call stop() for the take */
  onCap?(): void;
}

// NOTE: a Blob URL keeps the processor in this module (no extra file to serve);
// the block is copied because the engine reuses its input arrays
const PROCESSOR = `
class SemilabMicTap extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
}
registerProcessor('semilab-mic-tap', SemilabMicTap);
`;

/** A shorter cap for end-to-end tests (window.__semilab.setMicTakeLimit); null: 10 minutes. */
let testLimitSeconds: number | null = null;

export function setMicTakeLimitForTests(seconds: number | null): void {
  testLimitSeconds = seconds;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The user's sentence for a getUserMedia failure (DOMException names per the spec). */
export function micErrorOf(err: unknown): MicError {
  const name = (err as { name?: string } | null)?.name ?? '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return {
        code: 'denied',
        message:
          'Microphone access was denied. Allow it for this page in the browser ' +
          '(the icon in the address bar), then press Record again.',
      };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { code: 'no-device', message: 'No microphone was found. Connect one and try again.' };
    case 'NotReadableError':
    case 'AbortError':
      return {
        code: 'busy',
        message:
          'The microphone could not be opened: another program may be using it ' +
          `(${messageOf(err)}).`,
      };
    default:
      return { code: 'failed', message: `The microphone could not be started: ${messageOf(err)}` };
  }
}

/** Whether this browser can capture at all (getUserMedia exists only in secure contexts). */
export function micSupported(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.mediaDevices?.getUserMedia === 'function' &&
    typeof AudioWorkletNode !== 'undefined'
  );
}

/**
 * Asks for the microphone and starts capturing.
 * @returns the running session, or why it could not start (a message for the user)
 */
export async function startMicCapture(
  opts: MicOptions = {},
): Promise<Result<MicSession, MicError>> {
  if (!micSupported()) {
    return fail({
      code: 'unsupported',
      message:
        'This browser cannot record here: it offers no microphone access (getUserMedia and ' +
        'AudioWorklet) on this page. Use a current browser over https or localhost, ' +
        'or load a file.',
    });
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        channelCount: 1,
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
      },
    });
  } catch (err) {
    return fail(micErrorOf(err));
  }

  let context: AudioContext | null = null;
  const release = () => {
    for (const track of stream.getTracks()) track.stop();
    void context?.close().catch(() => undefined);
  };
  try {
    context = new AudioContext();
    const url = URL.createObjectURL(new Blob([PROCESSOR], { type: 'text/javascript' }));
    try {
      await context.audioWorklet.addModule(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    const source = context.createMediaStreamSource(stream);
    const tap = new AudioWorkletNode(context, 'semilab-mic-tap', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 1,
      // a stereo input is mixed down to the one channel by the graph
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
    // the graph runs only what reaches the destination; a muted gain keeps it silent
    const mute = context.createGain();
    mute.gain.value = 0;
    source.connect(tap).connect(mute).connect(context.destination);
    if (context.state === 'suspended') await context.resume();

    const maxSeconds = opts.maxSeconds ?? testLimitSeconds ?? MAX_AUDIO_SECONDS;
    const take = new MicTake(context.sampleRate, maxSeconds);
    let capped = false;
    tap.port.onmessage = (event: MessageEvent<Float32Array>) => {
      if (capped) return;
      const full = take.append(event.data);
      opts.onProgress?.(take.seconds, take.level());
      if (full) {
        capped = true;
        tap.port.onmessage = null;
        release();
        opts.onCap?.();
      }
    };
    let stopped = false;
    return ok({
      rate: context.sampleRate,
      maxSeconds,
      stop: async () => {
        if (!stopped) {
          stopped = true;
          tap.port.onmessage = null;
          source.disconnect();
          release();
        }
        return take;
      },
    });
  } catch (err) {
    release();
    return fail({ code: 'failed', message: `Recording could not start: ${messageOf(err)}` });
  }
}
