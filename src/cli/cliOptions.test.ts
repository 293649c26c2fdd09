import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureConsole } from './consoleCapture';
import { commands } from './commands';
import { main } from './main';

describe('semilab options and --help', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semilab-options-'));
  const { lines: out, errors: err } = captureConsole();

  it('refuses an option a command does not read, before doing any work', async () => {
    const wav = join(dir, 'o.wav');
    expect(await main(['vocode', 'x.npy', '--out', wav, '--sgima', '0.1'])).toBe(2);
    expect(err.at(-1)).toBe(
      'semilab vocode: unknown option --sgima (expected one of: --out, --sigma, --weights, ' +
        '--chunk, --seed, --backend)',
    );
    expect(existsSync(wav)).toBe(false);
    expect(await main(['likelihood', 'x.wav', '--sgima=1'])).toBe(2);
    expect(err.at(-1)).toBe(
      'semilab likelihood: unknown option --sgima (expected one of: --weights, --sigma)',
    );
    expect(await main(['mel', 'x.wav', '--out', join(dir, 'x.npy'), '--bands', '40'])).toBe(2);
    expect(err.at(-1)).toBe('semilab mel: unknown option --bands (expected one of: --out)');
    expect(await main(['info', '--verbose'])).toBe(2);
    expect(err.at(-1)).toBe(
      'semilab info: unknown option --verbose (this command takes no options)',
    );
    expect(out).toEqual([]);
  });

  it('checks bench options per benchmark, before opening a page', async () => {
    expect(await main(['bench', 'kernels', '--frames', '3'])).toBe(2);
    expect(err.at(-1)).toBe(
      'semilab bench: unknown option --frames (expected one of: --quick, --reps, --out)',
    );
    expect(await main(['bench', 'vocoder', '--texts', '3'])).toBe(2);
    expect(err.at(-1)).toMatch(/unknown option --texts \(expected one of: .*--frames\)$/);
    expect(await main(['bench', 'mlstm', '--reps', 'x'])).toBe(2);
    expect(err.at(-1)).toBe('semilab bench: --reps must be a positive integer (got x)');
    expect(await main(['bench', 'mlstm', '--budget', '-1'])).toBe(2);
    expect(err.at(-1)).toBe(
      'semilab bench: --budget must be a positive number of seconds (got -1)',
    );
    expect(await main(['bench', 'constructor'])).toBe(2);
    expect(err[err.length - 2]).toBe("semilab bench: unknown benchmark 'constructor'");
  });

  it('prints every command its usage on --help, -h and help <command>, exit 0', async () => {
    for (const c of commands) {
      for (const argv of [
        [c.name, '--help'],
        [c.name, 'x', '--bogus', '-h'],
        ['help', c.name],
      ]) {
        out.length = 0;
        expect(await main(argv), argv.join(' ')).toBe(0);
        expect(out).toEqual([`usage: ${c.usage}`]);
      }
    }
    expect(err).toEqual([]);
    // a subcommand prints its own usage
    for (const sub of ['fit', 'eval', 'curve', 'emotions', 'finetune']) {
      out.length = 0;
      expect(await main(['sentiment', sub, '--help'])).toBe(0);
      expect(out).toHaveLength(1);
      expect(out[0]).toMatch(new RegExp(`^usage: semilab sentiment ${sub} --`));
      expect(out[0].includes('--backend auto|webgpu|wasm')).toBe(sub !== 'finetune');
    }
    expect(await main(['help', 'vocoder'])).toBe(2);
    expect(err.at(-1)).toMatch(/^semilab: unknown command 'vocoder'/);
  });

  it('names a WaveGlow command given an mLSTM folder as --weights', async () => {
    const wav = join(dir, 'w.wav');
    const mlstm = join('public', 'models', 'mlstm');
    for (const backend of ['wasm', 'webgpu']) {
      const argv = ['vocode', 'x.npy', '--out', wav, '--weights', mlstm, '--backend', backend];
      const code = await main(argv);
      if (backend === 'webgpu' && /adapter|WebGPU/.test(err.at(-1) ?? '')) continue;
      expect(code).toBe(1);
      expect(err.at(-1)).toBe(
        `semilab vocode: ${join(process.cwd(), mlstm)} holds an mLSTM model (its config.json ` +
          'has embed_dim, hidden, vocab), not a WaveGlow one: --weights wants a folder like ' +
          'public/models/waveglow',
      );
    }
    expect(existsSync(wav)).toBe(false);
  });

  it('lists every sentiment subcommand in the top-level help', async () => {
    expect(await main(['help'])).toBe(0);
    const line = out[0].split('\n').find((l) => l.trimStart().startsWith('sentiment '));
    for (const sub of ['fit', 'eval', 'curve', 'emotions', 'finetune']) {
      expect(line).toMatch(new RegExp(`\\b${sub}\\b`));
    }
  });

  it('exits with the usage code from the real process', () => {
    const r = spawnSync(process.execPath, ['bin/semilab.mjs', 'likelihood', 'x.wav', '--sgima'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --sgima/);
    const h = spawnSync(process.execPath, ['bin/semilab.mjs', 'mel', '--help'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(h.status).toBe(0);
    expect(h.stdout).toBe('usage: semilab mel <file.wav> --out <file.npy>\n');
  });
});
