import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configKind, wrongModelFolder } from './modelFolder';

const MLSTM = join('public', 'models', 'mlstm');
const WAVEGLOW = join('public', 'models', 'waveglow');

describe('modelFolder', () => {
  it('tells the shipped mLSTM and WaveGlow configs apart by their keys', () => {
    expect(configKind({ type: 'mlstm', embed_dim: 64, hidden: 512 })).toBe('mlstm');
    expect(configKind({ embed_dim: 64, hidden: 512 })).toBe('mlstm');
    expect(configKind({ n_mel_channels: 80, n_flows: 12, n_group: 8 })).toBe('waveglow');
    expect(configKind({ n_flows: 12, hidden: 5, n_group: 8 })).toBe('waveglow');
    expect(configKind({ name: 'bert' })).toBeNull();
    expect(configKind([1, 2])).toBeNull();
    expect(wrongModelFolder(MLSTM, 'mlstm')).toBeNull();
    expect(wrongModelFolder(WAVEGLOW, 'waveglow')).toBeNull();
  });

  it('says which model a folder holds when it is the other one', () => {
    expect(wrongModelFolder(WAVEGLOW, 'mlstm')).toBe(
      `${WAVEGLOW} holds a WaveGlow model (its config.json has n_mel_channels, n_flows, n_group, ` +
        'WN_config), not an mLSTM one: --weights wants a folder like public/models/mlstm',
    );
    expect(wrongModelFolder(MLSTM, 'waveglow')).toMatch(/holds an mLSTM model .* not a WaveGlow/);
  });

  it('leaves a missing, broken or unrecognisable config to the loader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'semilab-folder-'));
    expect(wrongModelFolder(join(dir, 'none'), 'mlstm')).toBeNull();
    writeFileSync(join(dir, 'config.json'), '{ not json');
    expect(wrongModelFolder(dir, 'mlstm')).toBeNull();
    writeFileSync(join(dir, 'config.json'), '{"layers": 3}');
    expect(wrongModelFolder(dir, 'waveglow')).toBeNull();
  });
});
