// Speech panel, first version: load a recording (picker or drop), hear it,
// and see its waveform and the WaveGlow log-mel spectrogram computed on the
// GPU. Bad files leave the current recording in place; the recording is
// saved and comes back after a reload. Below the plots, WaveGlow synthesis
// from the log-mel (SynthesisSection).
import { useEffect, useMemo, useRef, useState } from 'react';
import { encodeWav16 } from '../../io/wavEncode';
import { useSpeechStore, type SpeechStatus } from '../../state/speechStore';
import { AudioDropzone } from './AudioDropzone';
import { EditedMelNote } from './EditedMelNote';
import { FineTuneSection } from './FineTuneSection';
import { MelEditor } from './MelEditor';
import { MelSpectrogramView } from './MelSpectrogramView';
import { MicRecorder } from './MicRecorder';
import { RecordingInfo } from './RecordingInfo';
import { SynthesisSection } from './SynthesisSection';
import { WaveformView } from './WaveformView';
import './speech.css';

const PROGRESS: Partial<Record<SpeechStatus, string>> = {
  restoring: 'Restoring the last recording…',
  decoding: 'Decoding…',
  computing: 'Computing the log-mel spectrogram…',
};

/** Width of `ref`'s element in CSS pixels, following resizes. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // content box: the canvases fill the element inside its padding
    const measure = () => {
      const style = getComputedStyle(el);
      setWidth(
        Math.floor(el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)),
      );
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

export function SpeechPanel() {
  const status = useSpeechStore((s) => s.status);
  const recording = useSpeechStore((s) => s.recording);
  const mel = useSpeechStore((s) => s.logMel);
  const originalFile = useSpeechStore((s) => s.originalFile);
  const error = useSpeechStore((s) => s.error);
  const loadFile = useSpeechStore((s) => s.loadFile);
  const restore = useSpeechStore((s) => s.restore);
  const dismissError = useSpeechStore((s) => s.dismissError);
  const plots = useRef<HTMLDivElement>(null);
  const width = useWidth(plots);

  useEffect(() => {
    void restore();
  }, [restore]);

  // the original file when we have it, else a WAV of the stored 22050 Hz samples
  const audioUrl = useMemo(() => {
    if (!recording) return null;
    const blob =
      originalFile ??
      new Blob([encodeWav16(recording.samples, recording.sampleRate)], { type: 'audio/wav' });
    return URL.createObjectURL(blob);
  }, [recording, originalFile]);
  useEffect(
    () => () => {
      if (audioUrl) URL.revokeObjectURL(audioUrl);
    },
    [audioUrl],
  );

  const progress = PROGRESS[status];
  return (
    <section className="speech" data-testid="panel.speech" data-status={status}>
      <div className="speech-head">
        <h1>Speech</h1>
        <span className="muted">
          Log-mel spectrogram with the WaveGlow / Tacotron 2 settings: 22050 Hz, FFT 1024, hop 256,
          80 mel bands 0–8 kHz.
        </span>
      </div>
      <AudioDropzone
        busy={status === 'decoding' || status === 'computing'}
        onFile={(f) => void loadFile(f)}
      />
      <MicRecorder
        busy={status === 'decoding' || status === 'computing'}
        onTake={(f) => void loadFile(f)}
      />
      {progress && (
        <div className="speech-progress" data-testid="speech.progress" role="status">
          {progress}
        </div>
      )}
      {error && (
        <div className="speech-error" data-testid="speech.error" role="alert">
          <span>{error}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={dismissError}>
            ×
          </button>
        </div>
      )}
      {recording && mel && (
        <>
          <RecordingInfo recording={recording} mel={mel} restored={!originalFile} />
          {audioUrl && (
            <audio className="speech-audio" controls src={audioUrl} data-testid="speech.audio" />
          )}
        </>
      )}
      <div className="speech-plots" ref={plots}>
        {recording && mel ? (
          <>
            <h2>Waveform</h2>
            <WaveformView
              samples={recording.samples}
              sampleRate={recording.sampleRate}
              width={width}
            />
            <h2>Log-mel spectrogram</h2>
            <MelSpectrogramView
              mel={mel}
              seconds={recording.samples.length / recording.sampleRate}
              width={width}
            />
            <MelEditor original={mel} width={width} />
          </>
        ) : (
          !progress && <p className="muted speech-empty">No recording loaded yet.</p>
        )}
      </div>
      {recording && mel && <EditedMelNote />}
      {recording && mel && (
        <SynthesisSection recordingName={recording.name} originalUrl={audioUrl} width={width} />
      )}
      <FineTuneSection width={width} />
    </section>
  );
}
