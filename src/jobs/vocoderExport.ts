// A kept fine-tuned WaveGlow as one download: a zip holding one folder with the
// two files `semilab vocode --weights DIR` reads (config.json and
// weights.safetensors, under exactly those names), so they cannot end up apart.
// The folder (and the zip) are named after the model's label.
import { zipSync } from 'fflate';
import { CONFIG_FILE, WEIGHTS_FILE } from '../models/waveglow/defaultModel';
import type { KeptVocoder } from './activeVocoder';

/** longest folder name: labels that name their starting model run long */
const MAX_FOLDER = 64;

/**
 * A folder name from a kept model's label, safe on every file system:
 * 'fine-tuned on LJ001-0001.wav, 3 steps' -> 'waveglow-fine-tuned-on-LJ001-0001-wav-3-steps'.
 */
export function vocoderFolderName(label: string): string {
  const slug = label
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) return 'waveglow-fine-tuned';
  const name = slug.startsWith('waveglow') ? slug : `waveglow-${slug}`;
  return name.slice(0, MAX_FOLDER).replace(/-+$/, '');
}

export interface VocoderExport {
  /** the download's name: `${folder}.zip` */
  fileName: string;
  /** the folder inside the zip, to pass to --weights once unzipped */
  folder: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** The zip of `kept`'s two model files in one folder (stored, not deflated: F32 weights). */
export function vocoderExport(kept: KeptVocoder): VocoderExport {
  const folder = vocoderFolderName(kept.label);
  const bytes = zipSync(
    {
      [folder]: {
        [CONFIG_FILE]: new TextEncoder().encode(kept.configText),
        [WEIGHTS_FILE]: kept.weights,
      },
    },
    // NOTE: a fixed time keeps the bytes the same for the same model
    { level: 0, mtime: new Date('2020-01-01T00:00:00Z') },
  );
  return { fileName: `${folder}.zip`, folder, bytes };
}
