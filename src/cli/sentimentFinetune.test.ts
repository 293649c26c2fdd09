// `semilab sentiment finetune` on the small golden mLSTM (H = 32) and tiny
// CSVs: it trains, writes weights + classifier that `sentiment eval` reads back
// to the same accuracy, and explains bad input.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureConsole } from './consoleCapture';
import { testGpu } from '../engine/testing';
import { csvLine } from '../io/csv';
import { parseSafetensors } from '../io/safetensors';
import { sentimentCommand } from './sentiment';

const gpu = await testGpu();
const weights = 'src/models/mlstm/goldens';

const POS = ['a good film', 'great fun', 'good cast', 'a great ride', 'fun and good', 'great'];
const NEG = ['a bad film', 'dull mess', 'bad cast', 'a dull ride', 'awful and bad', 'dull'];

function csv(rows: Array<[string, string]>): string {
  return ['label,sentence', ...rows.map((r) => csvLine(r))].join('\n') + '\n';
}

describe.skipIf(!gpu)('semilab sentiment finetune', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semilab-finetune-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const rows = (pos: string[], neg: string[]): Array<[string, string]> =>
    pos.flatMap((p, i) => [['1', p] as [string, string], ['0', neg[i]] as [string, string]]);
  const train = file('train.csv', csv(rows(POS, NEG)));
  const val = file('val.csv', csv(rows(['good and fun', 'great film'], ['bad, dull', 'awful'])));
  const { errors, lines } = captureConsole();
  const run = (...args: string[]) => sentimentCommand.run(args);

  it('fine-tunes, writes the model, and eval reproduces the best validation accuracy', async () => {
    const out = join(dir, 'tuned');
    const args = ['--train', train, '--val', val, '--out', out, '--weights', weights];
    const opts = ['--epochs', '3', '--batch', '4', '--lr', '0.05', '--lr-lm', '0.005'];
    expect(await run('finetune', ...args, ...opts, '--max-bytes', '16')).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/train\.csv: 12 sentences \(6 positive\)/);
    expect(text).toMatch(/^before fine-tuning: validation accuracy 50\.0%$/m);
    for (const e of [1, 2, 3]) {
      expect(text).toMatch(
        new RegExp(
          `^epoch ${e}, step ${3 * e}: mean loss [\\d.]+, validation accuracy [\\d.]+%$`,
          'm',
        ),
      );
    }
    const best = /^best: validation accuracy ([\d.]+)% at step (\d+)/m.exec(text);
    expect(best).not.toBeNull();
    const log = JSON.parse(readFileSync(join(out, 'finetune.json'), 'utf8'));
    expect(log.losses).toHaveLength(9);
    expect(log.recipe.maxBytes).toBe(16);
    const st = parseSafetensors(new Uint8Array(readFileSync(join(out, 'weights.safetensors'))));
    expect(st.ok && st.value.tensors.get('wm.weight')?.shape).toEqual([128, 32]);
    const saved = JSON.parse(readFileSync(join(out, 'classifier.json'), 'utf8'));
    expect(saved.w).toHaveLength(32);
    expect(saved.accuracy * 100).toBeCloseTo(Number(best![1]), 1);

    // every validation text is under --max-bytes, so eval (whole texts) sees what finetune saw
    lines.length = 0;
    expect(await run('eval', '--model', out, '--csv', val, '--weights', out)).toBe(0);
    expect(lines.join('\n')).toContain(`accuracy ${best![1]}% on 4 sentences`);
  });

  it('explains bad input with exit code 1 and writes nothing', async () => {
    const out = join(dir, 'never');
    const base = ['finetune', '--val', val, '--out', out, '--weights', weights];
    const cases: Array<[string[], RegExp]> = [
      [[...base, '--train', join(dir, 'nope.csv')], /cannot read the CSV .*nope\.csv \(no such/],
      [
        [...base, '--train', file('three.csv', 'label,sentence\n1,good\n2,meh\n')],
        /three\.csv, line 3: label must be 0 or 1 \(got '2'\)/,
      ],
      [['finetune', '--train', train, '--out', out], /missing --val/],
      [
        [...base, '--train', train, '--classifier', join(dir, 'none.json')],
        /cannot read the classifier .*none\.json/,
      ],
    ];
    for (const [args, message] of cases) {
      errors.length = 0;
      expect(await run(...args), args.join(' ')).toBe(1);
      expect(errors.join('\n'), args.join(' ')).toMatch(message);
    }
    // bad option values are usage errors, refused before the CSVs are read
    const usage: Array<[string[], RegExp]> = [
      [[...base, '--train', train, '--epochs', '0'], /--epochs must be an integer >= 1/],
      [[...base, '--train', train, '--lr', 'fast'], /--lr must be a number >= 0 \(got 'fast'\)/],
      [[...base, '--train', join(dir, 'nope.csv'), '--batch', '-1'], /--batch must be an integer/],
    ];
    for (const [args, message] of usage) {
      errors.length = 0;
      expect(await run(...args), args.join(' ')).toBe(2);
      expect(errors.join('\n'), args.join(' ')).toMatch(message);
    }
    // an option finetune does not read is a usage error, as in every command
    expect(await run(...base, '--train', train, '--pool', 'mean')).toBe(2);
    expect(errors.at(-1)).toMatch(/finetune: unknown option --pool \(expected one of: --train/);
    expect(await run(...base, '--train', train, 'extra')).toBe(2);
    expect(errors.at(-1)).toMatch(/unexpected argument 'extra'/);
    const waveglow = join('public', 'models', 'waveglow');
    expect(await run(...base, '--train', train, '--weights', waveglow)).toBe(1);
    expect(errors.at(-1)).toContain(`${waveglow} holds a WaveGlow model`);
    expect(existsSync(out)).toBe(false);
  });
});
