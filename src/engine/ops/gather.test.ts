import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { tensor } from '../tensor';
import { gather } from './gather';

const gpu = await testGpu();

/** Rows of table [V, D] picked by indices, in float64. */
function gatherReference(table: Float32Array, dim: number, indices: number[]): Float64Array {
  const out = new Float64Array(indices.length * dim);
  indices.forEach((row, r) => {
    for (let d = 0; d < dim; d++) out[r * dim + d] = table[row * dim + d];
  });
  return out;
}

/** Table gradient: each output row's gradient added to the row it read. */
function gatherBackwardReference(
  g: Float32Array,
  rows: number,
  dim: number,
  indices: number[],
): Float64Array {
  const out = new Float64Array(rows * dim);
  indices.forEach((row, r) => {
    for (let d = 0; d < dim; d++) out[row * dim + d] += g[r * dim + d];
  });
  return out;
}

describe.skipIf(!gpu)('gather', () => {
  afterAll(() => gpu?.flush());

  const cases = [
    { rows: 10, dim: 7, indices: [3, 0, 9, 3, 3, 5, 0] },
    { rows: 1, dim: 1, indices: [0] },
    { rows: 37, dim: 65, indices: [36, 1, 1, 20, 36, 7, 7, 7, 0, 12, 36] },
  ];

  for (const c of cases) {
    const title = `V=${c.rows} D=${c.dim} n=${c.indices.length}`;
    it(`matches the CPU reference and sums repeated rows for ${title}`, async () => {
      const { rows, dim, indices } = c;
      const td = randomArray(rows * dim, 61 + dim);
      const table = tensor(gpu!, td, [rows, dim], true);
      const out = gather(table, Int32Array.from(indices));
      expect(out.shape).toEqual([indices.length, dim]);
      expect(closeness(await out.read(), gatherReference(td, dim, indices))).toBeLessThanOrEqual(1);

      const gd = randomArray(out.size, 62);
      backward(out, tensor(gpu!, gd, out.shape));
      const expected = gatherBackwardReference(gd, rows, dim, indices);
      expect(closeness(await table.grad!.read(), expected)).toBeLessThanOrEqual(1);
    });
  }

  it('accumulates into the table gradient across two lookups', async () => {
    const [rows, dim] = [6, 4];
    const td = randomArray(rows * dim, 71);
    const table = tensor(gpu!, td, [rows, dim], true);
    const first = [1, 4, 1];
    const second = [4, 5];
    const g1 = randomArray(first.length * dim, 72);
    const g2 = randomArray(second.length * dim, 73);
    backward(gather(table, first), tensor(gpu!, g1, [first.length, dim]));
    backward(gather(table, second), tensor(gpu!, g2, [second.length, dim]));
    const a = gatherBackwardReference(g1, rows, dim, first);
    const b = gatherBackwardReference(g2, rows, dim, second);
    expect(
      closeness(
        await table.grad!.read(),
        a.map((v, i) => v + b[i]),
      ),
    ).toBeLessThanOrEqual(1);
  });

  it('gradient agrees with finite differences', async () => {
    const [rows, dim] = [5, 3];
    const indices = [2, 4, 2, 2];
    const td = randomArray(rows * dim, 81);
    const gd = randomArray(indices.length * dim, 82);
    const table = tensor(gpu!, td, [rows, dim], true);
    backward(gather(table, indices), tensor(gpu!, gd, [indices.length, dim]));
    const grad = await table.grad!.read();
    const loss = async (data: Float32Array) => {
      const v = await gather(tensor(gpu!, data, [rows, dim]), indices).read();
      return v.reduce((s, y, i) => s + y * gd[i], 0);
    };
    const eps = 1e-2;
    for (const i of [0, 6, 7, 13]) {
      const plus = td.slice();
      plus[i] += eps;
      const minus = td.slice();
      minus[i] -= eps;
      const fd = ((await loss(plus)) - (await loss(minus))) / (2 * eps);
      expect(Math.abs(fd - grad[i])).toBeLessThan(2e-3);
    }
  });

  it('returns [0, D] for no indices', async () => {
    const table = tensor(gpu!, randomArray(6), [3, 2]);
    expect(gather(table, []).shape).toEqual([0, 2]);
  });

  it('rejects an out-of-range or fractional index with its position and the bound', () => {
    const table = tensor(gpu!, randomArray(12), [4, 3]);
    expect(() => gather(table, [0, 4])).toThrow(
      /gather: index out of range at position 1 \(expected 0 <= index < 4, got 4\)/,
    );
    expect(() => gather(table, Int32Array.from([2, -1]))).toThrow(/position 1 .*got -1/);
    expect(() => gather(table, [1.5])).toThrow(/got 1.5/);
    const flat = tensor(gpu!, randomArray(4), [4]);
    expect(() => gather(flat, [0])).toThrow(/table must be \[V, D\] \(got \[4\]\)/);
  });
});
