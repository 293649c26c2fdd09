// Where a recording comes in: a file picker and a drop target for one audio file.
import { useRef, useState, type DragEvent } from 'react';

export interface AudioDropzoneProps {
  busy: boolean;
  onFile(file: File): void;
}

export function AudioDropzone({ busy, onFile }: AudioDropzoneProps) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };

  return (
    <div
      className={`speech-dropzone${over ? ' speech-dropzone-over' : ''}`}
      data-testid="speech.dropzone"
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <button type="button" disabled={busy} onClick={() => input.current?.click()}>
        Choose audio file…
      </button>
      <span className="muted">or drop one here: WAV, MP3, Ogg, FLAC, up to 10 minutes</span>
      <input
        ref={input}
        type="file"
        accept="audio/*,.wav"
        hidden
        data-testid="speech.file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          // reset so choosing the same file again fires another change
          event.target.value = '';
          if (file) onFile(file);
        }}
      />
    </div>
  );
}
