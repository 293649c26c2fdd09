// "Export weights" for the kept fine-tuned vocoder, with what the download is:
// one zip holding a folder with config.json and weights.safetensors, the folder
// `semilab vocode --weights DIR` reads once unzipped.
import { vocoderFolderName } from '../../jobs/vocoderExport';

export interface ExportWeightsProps {
  /** the kept model's label (the folder is named after it) */
  label: string;
  onExport(): void;
}

export function ExportWeights({ label, onExport }: ExportWeightsProps) {
  const folder = vocoderFolderName(label);
  return (
    <>
      <button type="button" data-testid="speech.finetune.export" onClick={onExport}>
        Export weights
      </button>
      <span
        className="muted finetune-note finetune-export-note"
        data-testid="speech.finetune.export.note"
      >
        Export downloads <code>{folder}.zip</code>: one folder with config.json and
        weights.safetensors. Unzip it and keep the two files together, then run{' '}
        <code>semilab vocode in.wav --out out.wav --weights {folder}</code>.
      </span>
    </>
  );
}
