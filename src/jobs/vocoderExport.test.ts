import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseSafetensors } from '../io/safetensors';
import { parseWaveGlowConfig } from '../models/waveglow/config';
import { vocoderExport, vocoderFolderName } from './vocoderExport';

const dir = join(import.meta.dirname, '../../public/models/waveglow');

describe('vocoderFolderName', () => {
  it('turns a label into one safe folder name', () => {
    expect(vocoderFolderName('fine-tuned on LJ001-0001.wav, 3 steps')).toBe(
      'waveglow-fine-tuned-on-LJ001-0001-wav-3-steps',
    );
    expect(vocoderFolderName('fine-tuned on 2 recordings, 1 step')).toBe(
      'waveglow-fine-tuned-on-2-recordings-1-step',
    );
    expect(vocoderFolderName('../ / ..')).toBe('waveglow-fine-tuned');
  });

  it('caps a long label (one naming its starting model) without a trailing dash', () => {
    const long = vocoderFolderName(
      'fine-tuned on a.wav, 5 steps (starting from: fine-tuned on b.wav, 3 steps)',
    );
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^waveglow-fine-tuned-on-a-wav-5-steps-starting-from-[\w-]*[^-]$/);
  });
});

describe('vocoderExport', () => {
  it('zips config.json and weights.safetensors, unchanged, into one folder', () => {
    const configText = readFileSync(join(dir, 'config.json'), 'utf8');
    const weights = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));
    const label = 'fine-tuned on LJ001-0001.wav, 3 steps';
    const out = vocoderExport({ label, configText, weights });
    expect(out.folder).toBe('waveglow-fine-tuned-on-LJ001-0001-wav-3-steps');
    expect(out.fileName).toBe(`${out.folder}.zip`);

    const files = unzipSync(out.bytes);
    // the folder's own entry, then its two files under the names the CLI reads
    expect(Object.keys(files).sort()).toEqual([
      `${out.folder}/`,
      `${out.folder}/config.json`,
      `${out.folder}/weights.safetensors`,
    ]);
    const configBytes = files[`${out.folder}/config.json`];
    expect(parseWaveGlowConfig(new TextDecoder().decode(configBytes)).ok).toBe(true);
    const unzipped = files[`${out.folder}/weights.safetensors`];
    expect(Buffer.from(unzipped).equals(Buffer.from(weights))).toBe(true);
    expect(parseSafetensors(unzipped).ok).toBe(true);
    // stored, not deflated: the zip is the files plus headers
    expect(out.bytes.length).toBeGreaterThan(weights.length);
    expect(out.bytes.length).toBeLessThan(weights.length + configText.length + 1024);
    // the same model gives the same bytes
    const again = vocoderExport({ label, configText, weights }).bytes;
    expect(Buffer.from(again).equals(Buffer.from(out.bytes))).toBe(true);
  });
});
