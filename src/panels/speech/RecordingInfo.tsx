// One line about the loaded recording (name, length, original format, frames)
// and notes on what was changed to analyse it.
import { formatDuration } from '../../io/audioTypes';
import type { LogMelView, SpeechRecording } from '../../state/speechStore';

export interface RecordingInfoProps {
  recording: SpeechRecording;
  mel: LogMelView;
  restored: boolean;
}

export function RecordingInfo({ recording, mel, restored }: RecordingInfoProps) {
  const r = recording;
  const seconds = r.samples.length / r.sampleRate;
  const channels = `${r.originalChannels} channel${r.originalChannels === 1 ? '' : 's'}`;
  const rate = r.originalRate === null ? 'rate unknown' : `${r.originalRate} Hz`;
  const notes: string[] = [];
  if (r.resampled) notes.push(`Resampled from ${r.originalRate} Hz to ${r.sampleRate} Hz.`);
  if (r.resampled === null) notes.push(`Converted to ${r.sampleRate} Hz by the browser's decoder.`);
  if (r.downmixed)
    notes.push(`Downmixed from ${r.originalChannels} channels to mono (channel average).`);
  if (r.truncated) notes.push('The file ends early (cut off); the samples present were kept.');
  if (restored)
    notes.push('Restored from your last visit; the player plays the 22050 Hz mono copy.');
  return (
    <div className="speech-info" data-testid="speech.info">
      <div>
        <strong>{r.name}</strong>
        <span className="muted">
          {' · '}
          {formatDuration(seconds)}
          {' · original '}
          {rate}, {channels}
          {' · '}
          {mel.bands} bands × {mel.frames} frames
          {` · log-mel ${mel.backend === 'webgpu' ? 'on WebGPU' : 'on onnxruntime-web (wasm)'} in `}
          <span data-testid="speech.info.time">{mel.ms.toFixed(0)} ms</span>
        </span>
      </div>
      {notes.map((note) => (
        <div key={note} className="speech-note">
          {note}
        </div>
      ))}
    </div>
  );
}
