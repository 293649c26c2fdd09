// Smoke tests of the model benches' pieces that need no browser: the PyTorch
// peer's weight loading against the committed goldens, the CSV reader that
// picks the reviews, and the agreement / timing helpers.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { csvSentences } from './mlstmInputs';
import { greedyAgreement, maxAbsDiff, timeRuns } from './modelBench';
import { PYTHON } from './modelPeer';

function hasTorch(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch, numpy']).status === 0;
}

describe('bench/torch_peer.py', () => {
  it.skipIf(!hasTorch())('loads folded weights that reproduce the PyTorch goldens', () => {
    const run = spawnSync(PYTHON, ['bench/torch_peer.py', 'goldens'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    // goldens were written by the training-time twin (weight norm, then folded)
    expect(r.waveglowAudioMaxAbs).toBeGreaterThan(0.1);
    expect(r.waveglowAudioMaxDiff).toBeLessThan(1e-4);
    expect(r.mlstmFinalCMaxDiff).toBeLessThan(1e-5);
  });
});

describe('runTorchPeer without PyTorch', () => {
  it('says PyTorch is not installed and records it for the page, without failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'semilab-peer-'));
    // a python whose `import torch` fails
    const python = join(dir, 'python-without-torch');
    writeFileSync(python, '#!/bin/sh\nexit 1\n');
    chmodSync(python, 0o755);
    vi.stubEnv('SEMILAB_PYTHON', python);
    vi.resetModules();
    const peer = await import('./modelPeer');
    const result = peer.runTorchPeer(process.cwd(), 'mlstm', 'public/models/mlstm', dir, 1);
    vi.unstubAllEnvs();
    expect(result).toEqual({
      ok: false,
      reason: `PyTorch is not installed (${python}: import torch, numpy failed)`,
    });
    const recorded = JSON.parse(readFileSync(join(dir, 'torch.json'), 'utf8'));
    expect(recorded).toEqual({ error: result.ok ? '' : result.reason });
  });
});

describe('csvSentences', () => {
  it('reads quoted fields with commas, doubled quotes and CRLF', () => {
    const csv =
      'label,sentence\r\n1,Plain one.\r\n0,"Commas, and ""quotes"" inside."\r\n' +
      '1,"Multi\nline"\n0,last without newline';
    expect(csvSentences(csv)).toEqual([
      'Plain one.',
      'Commas, and "quotes" inside.',
      'Multi\nline',
      'last without newline',
    ]);
  });
});

describe('agreement and timing helpers', () => {
  it('counts greedy bytes equal from the start', () => {
    expect(greedyAgreement([1, 2, 3, 4], [1, 2, 9, 4])).toBe('2/4');
    expect(greedyAgreement([1, 2], [1, 2])).toBe('2/2');
  });

  it('gives Infinity for outputs of different lengths', () => {
    expect(maxAbsDiff([1, 2], [1, 2.5])).toBe(0.5);
    expect(maxAbsDiff([1, 2], [1])).toBe(Infinity);
  });

  it('stops after the warm-up when it alone exceeds the budget', async () => {
    let calls = 0;
    const slow = await timeRuns(
      'test',
      3,
      async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 30));
        return calls;
      },
      0.01,
    );
    expect(slow.runs).toBe(0);
    expect(calls).toBe(1);
    const fast = await timeRuns('test', 3, async () => calls++);
    expect(fast.runs).toBe(3);
    expect(fast.last).toBe(calls - 1);
  });
});
