// PyTorch goldens: pins the conv ops (and so the CPU references in the other
// tests) to torch.nn.functional. Regenerate the JSON with
// training/goldens/conv_goldens.py.
import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, testGpu } from '../testing';
import { tensor, type Tensor } from '../tensor';
import { conv1d, runConv1d, validateConv1d, type Conv1dVariant } from './conv1d';
import { conv2d } from './conv2d';
import { convTranspose1d } from './conv-transpose1d';
import { convTranspose2d } from './conv-transpose2d';
import conv1dGolden from './goldens/conv1d.json';
import conv2dGolden from './goldens/conv2d.json';
import convTranspose1dGolden from './goldens/conv-transpose1d.json';
import convTranspose2dGolden from './goldens/conv-transpose2d.json';

const gpu = await testGpu();

interface Golden {
  name: string;
  options: object;
  x: { shape: number[]; data: number[] };
  w: { shape: number[]; data: number[] };
  bias: number[] | null;
  seed: number[];
  y: { shape: number[]; data: number[] };
  gx: number[];
  gw: number[];
  gb: number[] | null;
}

type Op = (x: Tensor, w: Tensor, b: Tensor | null, opts: object) => Tensor;

const suites: Array<[string, { cases: Golden[] }, Op]> = [
  ['conv1d', conv1dGolden, conv1d],
  ['conv2d', conv2dGolden, conv2d],
  ['convTranspose1d', convTranspose1dGolden, convTranspose1d],
  ['convTranspose2d', convTranspose2dGolden, convTranspose2d],
];

const TOL = [1e-4, 1e-4] as const;

describe.skipIf(!gpu)('conv ops against PyTorch goldens', () => {
  afterAll(() => gpu?.flush());

  for (const [opName, golden, op] of suites) {
    for (const g of golden.cases) {
      it(`${opName} matches torch for ${g.name}`, async () => {
        const x = tensor(gpu!, g.x.data, g.x.shape, true);
        const w = tensor(gpu!, g.w.data, g.w.shape, true);
        const b = g.bias ? tensor(gpu!, g.bias, [g.bias.length], true) : null;
        const y = op(x, w, b, g.options);
        expect(y.shape).toEqual(g.y.shape);
        expect(closeness(await y.read(), g.y.data, ...TOL)).toBeLessThanOrEqual(1);
        backward(y, tensor(gpu!, g.seed, g.y.shape));
        expect(closeness(await x.grad!.read(), g.gx, ...TOL)).toBeLessThanOrEqual(1);
        expect(closeness(await w.grad!.read(), g.gw, ...TOL)).toBeLessThanOrEqual(1);
        if (g.gb) expect(closeness(await b!.grad!.read(), g.gb, ...TOL)).toBeLessThanOrEqual(1);
        for (const t of [x, w, b, y, x.grad, w.grad, b?.grad]) t?.dispose();
      });
    }
  }

  for (const variant of ['naive', 'register'] as Conv1dVariant[]) {
    it(`the ${variant} conv1d kernel matches torch on every conv1d golden`, async () => {
      for (const g of (conv1dGolden as { cases: Golden[] }).cases) {
        const x = tensor(gpu!, g.x.data, g.x.shape);
        const w = tensor(gpu!, g.w.data, g.w.shape);
        const b = g.bias ? tensor(gpu!, g.bias, [g.bias.length]) : null;
        const y = runConv1d(validateConv1d(x, w, b, g.options), x, w, b, undefined, variant);
        expect(closeness(await y.read(), g.y.data, ...TOL), g.name).toBeLessThanOrEqual(1);
        for (const t of [x, w, b, y]) t?.dispose();
      }
    });
  }
});
