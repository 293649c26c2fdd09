// `semilab sentiment` on the small golden mLSTM (H = 32) and tiny CSVs:
// fit, eval and curve end to end, and a clear message for each bad input.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureConsole } from './consoleCapture';
import { testGpu } from '../engine/testing';
import { csvLine } from '../io/csv';
import { sentimentCommand } from './sentiment';

const gpu = await testGpu();
const weights = 'src/models/mlstm/goldens';

const POS = ['a good film', 'great fun', 'good cast', 'a great ride', 'fun and good', 'great'];
const NEG = ['a bad film', 'dull mess', 'bad cast', 'a dull ride', 'awful and bad', 'dull'];

function csv(rows: Array<[string, string]>, header = 'label,sentence'): string {
  return [header, ...rows.map((r) => csvLine(r))].join('\n') + '\n';
}

describe.skipIf(!gpu)('semilab sentiment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semilab-sentiment-'));
  const file = (name: string, text: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const rows = (pos: string[], neg: string[]): Array<[string, string]> =>
    pos.flatMap((p, i) => [['1', p] as [string, string], ['0', neg[i]] as [string, string]]);
  const train = file('train.csv', csv([...rows(POS, NEG), ['1', ''], ['0', '  ']]));
  const val = file(
    'val.csv',
    csv(rows(['good and fun', 'great film'], ['bad and dull', 'awful film'])),
  );
  const { errors, lines } = captureConsole();
  const run = (...args: string[]) => sentimentCommand.run(args);

  it('fits, saves the classifier, and eval reproduces its validation accuracy', async () => {
    const out = join(dir, 'model');
    expect(
      await run('fit', '--train', train, '--val', val, '--out', out, '--weights', weights),
    ).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/train\.csv: 12 sentences \(6 positive\); 2 empty rows skipped/);
    expect(text).toMatch(/featurized train: 12 sentences, \d+ bytes in [\d.]+ s \(\d+ bytes\/s\)/);
    const acc = /validation accuracy ([\d.]+)% \(lambda/.exec(text);
    expect(acc).not.toBeNull();
    expect(text).toMatch(/sentiment unit: \d+ \(weight/);
    // the toy vocabulary separates perfectly on words
    expect(text).toMatch(/bag-of-words baseline .*: validation accuracy 100\.0%/);
    const saved = JSON.parse(readFileSync(join(out, 'classifier.json'), 'utf8'));
    expect(saved.hidden).toBe(32);
    expect(saved.w).toHaveLength(32);
    expect(text).toContain(`sentiment unit: ${saved.sentimentUnit} `);

    lines.length = 0;
    expect(await run('eval', '--model', out, '--csv', val, '--weights', weights)).toBe(0);
    expect(lines.join('\n')).toContain(`accuracy ${acc![1]}% on 4 sentences`);
  });

  it('fits and evaluates on wasm (CPU fit) to the accuracy of WebGPU', async () => {
    const fitOn = async (backend: string) => {
      const out = join(dir, `model-${backend}`);
      lines.length = 0;
      errors.length = 0;
      const args = ['--train', train, '--val', val, '--out', out, '--weights', weights];
      expect(await run('fit', ...args, '--backend', backend), errors.join('\n')).toBe(0);
      expect(errors[0]).toBe(`semilab sentiment fit: backend ${backend} (chosen with --backend)`);
      const text = lines.join('\n');
      expect(text).toContain(`fitted on the ${backend === 'wasm' ? 'CPU' : 'GPU'} in`);
      return JSON.parse(readFileSync(join(out, 'classifier.json'), 'utf8'));
    };
    const onGpu = await fitOn('webgpu');
    const onWasm = await fitOn('wasm');
    expect(onWasm.accuracy).toBe(onGpu.accuracy);
    expect(onWasm.grid.map((g: { accuracy: number }) => g.accuracy)).toEqual(
      onGpu.grid.map((g: { accuracy: number }) => g.accuracy),
    );
    expect(onWasm.lambda).toBeCloseTo(onGpu.lambda, 6);
    // the same features: equal standardisation to f32 rounding
    onWasm.mean.forEach((m: number, j: number) => expect(m).toBeCloseTo(onGpu.mean[j], 3));
    // wasm features score the WebGPU-fitted classifier as WebGPU features do
    for (const backend of ['webgpu', 'wasm']) {
      lines.length = 0;
      const model = join(dir, 'model-webgpu');
      const args = ['--model', model, '--csv', val, '--weights', weights, '--backend', backend];
      expect(await run('eval', ...args)).toBe(0);
      expect(lines.join('\n')).toContain(`accuracy ${(100 * onGpu.accuracy).toFixed(1)}% on 4`);
    }
  }, 120_000);

  it('checks the CSV contents and the weights folder before featurizing', async () => {
    const out = join(dir, 'never');
    const positive = file(
      'positive.csv',
      csv([
        ['1', 'good'],
        ['1', 'great'],
        ['1', 'fun'],
      ]),
    );
    expect(await run('fit', '--train', positive, '--val', val, '--out', out)).toBe(1);
    expect(errors).toEqual([
      `semilab sentiment fit: ${positive}: need both positive and negative examples to fit ` +
        '(got 3 positive of 3)',
    ]);
    expect(lines.join('\n')).not.toMatch(/featurized/);
    errors.length = 0;
    const notFolder = file('out.txt', 'x');
    expect(await run('fit', '--train', train, '--val', val, '--out', notFolder)).toBe(1);
    expect(errors).toEqual([
      `semilab sentiment fit: --out ${notFolder} is a file (expected a folder to write ` +
        'classifier.json in)',
    ]);
    errors.length = 0;
    const sorted = file(
      'sorted.csv',
      csv([
        ['1', 'good'],
        ['1', 'great'],
        ['0', 'bad'],
      ]),
    );
    const curveArgs = ['--train', sorted, '--val', val, '--sizes', '1,2', '--weights', weights];
    expect(await run('curve', ...curveArgs)).toBe(1);
    expect(errors).toEqual([
      `semilab sentiment curve: ${sorted}: the first rows of every size (1, 2) hold one ` +
        'class only; need both positive and negative examples to fit',
    ]);
    errors.length = 0;
    const waveglow = join('public', 'models', 'waveglow');
    const args = ['--train', train, '--val', val, '--out', out, '--weights', waveglow];
    expect(await run('fit', ...args, '--backend', 'wasm')).toBe(1);
    expect(errors.at(-1)).toBe(
      `semilab sentiment fit: ${waveglow} holds a WaveGlow model (its config.json has ` +
        'n_mel_channels, n_flows, n_group, WN_config), not an mLSTM one: --weights wants a ' +
        'folder like public/models/mlstm',
    );
    expect(lines.join('\n')).not.toMatch(/featurized/);
    expect(existsSync(out)).toBe(false);
  });

  it('prints accuracy against the number of labels', async () => {
    expect(
      await run(
        'curve',
        '--train',
        train,
        '--val',
        val,
        '--sizes',
        '1,4,all',
        '--weights',
        weights,
      ),
    ).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/^1\t\(skipped: the first 1 rows hold one class only\)$/m);
    expect(text).toMatch(/^4\t[\d.]+%\t\t\d+\t\d+\t\t[\d.]+%$/m);
    expect(text).toMatch(/^12\t[\d.]+%\t\t\d+\t\d+\t\t100\.0%$/m);
  });

  it('reads invalid UTF-8 as bytes and says how many rows were', async () => {
    const bytes = new TextEncoder().encode(csv(rows(POS.slice(0, 3), NEG.slice(0, 3))));
    const bad = Uint8Array.from([...bytes, ...new TextEncoder().encode('1,caf'), 0xe9, 0xff, 0x0a]);
    const p = file('latin1.csv', bad);
    const out = join(dir, 'm2');
    expect(await run('fit', '--train', p, '--val', val, '--out', out, '--weights', weights)).toBe(
      0,
    );
    expect(lines.join('\n')).toMatch(
      /latin1\.csv: 7 sentences \(4 positive\); 1 rows are not valid UTF-8 \(read as raw bytes\)/,
    );
  });

  it('explains bad input with exit code 1 (or 2 for usage)', async () => {
    const out = join(dir, 'never');
    const cases: Array<[string[], RegExp]> = [
      [
        ['fit', '--train', join(dir, 'nope.csv'), '--val', val, '--out', out],
        /cannot read the CSV .*nope\.csv \(no such file\)/,
      ],
      [
        [
          'fit',
          '--train',
          file('nolabel.csv', 'score,sentence\n1,good\n'),
          '--val',
          val,
          '--out',
          out,
        ],
        /has no 'label' column \(header: 'score', 'sentence'\)/,
      ],
      [
        [
          'fit',
          '--train',
          file('three.csv', 'label,sentence\n1,good\n2,meh\n'),
          '--val',
          val,
          '--out',
          out,
        ],
        /three\.csv, line 3: label must be 0 or 1 \(got '2'\)/,
      ],
      [
        ['fit', '--train', file('empty.csv', ''), '--val', val, '--out', out],
        /empty\.csv is empty \(0 bytes\)/,
      ],
      [
        ['fit', '--train', train, '--val', val, '--out', out, '--weights', join(dir, 'nomodel')],
        /cannot read the mLSTM config .*nomodel\/config\.json \(no such file\)/,
      ],
      [['fit', '--train', train, '--out', out], /missing --val/],
      [['eval', '--model', join(dir, 'nomodel'), '--csv', val], /cannot read the classifier/],
    ];
    for (const [args, message] of cases) {
      errors.length = 0;
      expect(await run(...args), args.join(' ')).toBe(1);
      expect(errors.join('\n'), args.join(' ')).toMatch(message);
    }
    // bad option values are usage errors, refused before any file is read
    const usage: Array<[string[], RegExp]> = [
      [
        ['fit', '--train', train, '--val', val, '--out', out, '--limit', 'x'],
        /--limit must be a positive integer \(got 'x'\)/,
      ],
      [
        ['curve', '--train', join(dir, 'nope.csv'), '--val', val, '--sizes', '0,abc'],
        /curve: --sizes: '0' is not a positive integer or 'all'/,
      ],
      [
        ['eval', '--model', join(dir, 'nomodel'), '--csv', val, '--pool', 'max'],
        /eval: --pool must be 'final' or 'mean' \(got 'max'\)/,
      ],
    ];
    for (const [args, message] of usage) {
      errors.length = 0;
      expect(await run(...args), args.join(' ')).toBe(2);
      expect(errors.join('\n'), args.join(' ')).toMatch(message);
    }
    errors.length = 0;
    expect(await run('frobnicate')).toBe(2);
    expect(errors[0]).toBe("semilab sentiment: unknown subcommand 'frobnicate'");
    expect(errors.at(-1)).toMatch(/usage: semilab sentiment fit/);
    expect(await run('fit', '--train', train, '--val', val, '--out', out, '--backend', 'x')).toBe(
      2,
    );
    expect(errors.at(-1)).toMatch(/--backend must be 'auto', 'webgpu' or 'wasm' \(got 'x'\)/);
    // options another subcommand reads are refused, not silently ignored
    expect(await run('emotions', '--train', train, '--val', val, '--pool', 'max')).toBe(2);
    expect(errors.at(-1)).toMatch(/emotions: unknown option --pool \(expected one of: --train/);
    expect(await run('eval', '--model', out, '--csv', val, '--sizes', '10')).toBe(2);
    expect(errors.at(-1)).toMatch(/eval: unknown option --sizes/);
  });
});
