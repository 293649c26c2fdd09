import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd';
import { closeness, randomArray, testGpu } from '../testing';
import { tensor, type Tensor } from '../tensor';
import { matmul } from './matmul';
import { mlstm, mlstmSequence, runMlstm, runMlstmBackward } from './mlstm';
import { mlstmNumericGrad, mlstmReference, type MlstmReferenceInputs } from './mlstm-reference';

const gpu = await testGpu();

function inputs(texts: number, steps: number, hidden: number, lengths: number[], seed: number) {
  const H = hidden;
  const scale = (a: Float32Array, s: number) => a.map((v) => v * s);
  return {
    texts,
    steps,
    hidden,
    lengths,
    xproj: randomArray(texts * steps * 5 * H, seed),
    // about 1/sqrt(H): keeps the gates off saturation so gradients are informative
    wmh: scale(randomArray(H * H, seed + 1), 1.5 / Math.sqrt(H)),
    wm: scale(randomArray(4 * H * H, seed + 2), 1.5 / Math.sqrt(H)),
    bias: scale(randomArray(4 * H, seed + 3), 0.5),
    init: scale(randomArray(texts * 2 * H, seed + 4), 0.5),
  } satisfies MlstmReferenceInputs;
}

type Inputs = ReturnType<typeof inputs>;

function upload(c: Inputs, requiresGrad = false) {
  const H = c.hidden;
  return {
    xproj: tensor(gpu!, c.xproj, [c.texts, c.steps, 5 * H], requiresGrad),
    params: {
      wmh: tensor(gpu!, c.wmh, [H, H], requiresGrad),
      wm: tensor(gpu!, c.wm, [4 * H, H], requiresGrad),
      bias: tensor(gpu!, c.bias, [4 * H], requiresGrad),
    },
    init: tensor(gpu!, c.init, [c.texts, 2 * H], requiresGrad),
  };
}

function disposeAll(...ts: Array<Tensor | null | undefined>): void {
  for (const t of ts) t?.dispose();
}

describe.skipIf(!gpu)('mlstm', () => {
  afterAll(() => gpu?.flush());

  for (const hidden of [7, 33]) {
    it(`matches the float64 reference for H=${hidden}, texts of lengths 1, 5 and 9`, async () => {
      const c = inputs(3, 9, hidden, [1, 5, 9], hidden);
      const u = upload(c);
      const { states } = runMlstm(u.xproj, u.params, c.lengths, u.init);
      expect(states.shape).toEqual([3, 9, 2 * hidden]);
      const expected = mlstmReference(c);
      expect(closeness(await states.read(), expected, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
      disposeAll(states, u.xproj, u.init, u.params.wmh, u.params.wm, u.params.bias);
    });
  }

  it('stays finite and exact with saturated gates and cells past |c| = 44', async () => {
    // NOTE: SwiftShader expands tanh through exp(2v): unclamped, such cells read as NaN
    const c = inputs(2, 6, 5, [6, 4], 11);
    const big = { ...c, xproj: c.xproj.map((v) => v * 60), init: c.init.map((v) => v * 200) };
    const u = upload(big);
    const { states } = runMlstm(u.xproj, u.params, big.lengths, u.init);
    const got = await states.read();
    expect(got.every(Number.isFinite)).toBe(true);
    expect(Math.max(...got.map(Math.abs))).toBeGreaterThan(44);
    expect(closeness(got, mlstmReference(big), 1e-5, 1e-4)).toBeLessThanOrEqual(1);
    disposeAll(states, u.xproj, u.init, u.params.wmh, u.params.wm, u.params.bias);
  });

  it('starts from zeros without an initial state and holds the state of ended texts', async () => {
    const c = { ...inputs(2, 4, 5, [2, 4], 11), init: new Float32Array(2 * 10) };
    const u = upload(c);
    const { states } = runMlstm(u.xproj, u.params, c.lengths, null);
    const got = await states.read();
    expect(closeness(got, mlstmReference(c), 1e-5, 1e-4)).toBeLessThanOrEqual(1);
    // text 0 ended after step 1: steps 2 and 3 repeat its state
    const row = (t: number) => Array.from(got.subarray(t * 10, t * 10 + 10));
    expect(row(2)).toEqual(row(1));
    expect(row(3)).toEqual(row(1));
    disposeAll(states, u.xproj, u.init, u.params.wmh, u.params.wm, u.params.bias);
  });

  it('backpropagates through time like the float64 reference (all inputs, masked texts)', async () => {
    const c = inputs(3, 9, 7, [1, 5, 9], 21);
    const u = upload(c);
    const dstates = randomArray(3 * 9 * 14, 99);
    const g = runMlstmBackward(
      u.xproj,
      u.params,
      c.lengths,
      u.init,
      tensor(gpu!, dstates, [3, 9, 14]),
    );
    const pairs: Array<[Tensor, 'xproj' | 'wmh' | 'wm' | 'bias' | 'init']> = [
      [g.dxproj, 'xproj'],
      [g.dwmh, 'wmh'],
      [g.dwm, 'wm'],
      [g.dbias, 'bias'],
      [g.dinit, 'init'],
    ];
    for (const [t, field] of pairs) {
      const expected = mlstmNumericGrad(c, dstates, field);
      const worst = closeness(await t.read(), expected, 1e-4, 1e-3);
      expect(worst, field).toBeLessThanOrEqual(1);
    }
    // text 0 has one byte: its steps 1..8 feed nothing back
    const dx = await g.dxproj.read();
    expect(dx.subarray(35, 9 * 35).every((v) => v === 0)).toBe(true);
    disposeAll(g.dxproj, g.dwmh, g.dwm, g.dbias, g.dinit, u.xproj, u.init);
  });

  it('records for autograd; gradients agree with f32 finite differences of the GPU forward', async () => {
    const c = inputs(2, 6, 33, [6, 3], 31);
    const u = upload(c, true);
    const seed = randomArray(2 * 6 * 66, 77);
    const states = mlstm(u.xproj, u.params, c.lengths, u.init);
    backward(states, tensor(gpu!, seed, states.shape));
    const lossOf = async (field: 'xproj' | 'wmh' | 'init', data: Float32Array) => {
      const v = upload({ ...c, [field]: data });
      const { states: s } = runMlstm(v.xproj, v.params, c.lengths, v.init);
      const out = await s.read();
      disposeAll(s, v.xproj, v.init, v.params.wmh, v.params.wm, v.params.bias);
      return out.reduce((acc, x, i) => acc + x * seed[i], 0);
    };
    const eps = 1e-2;
    const checks: Array<['xproj' | 'wmh' | 'init', Tensor, number[]]> = [
      ['xproj', u.xproj, [0, 40, 170, 6 * 165 + 3]],
      ['wmh', u.params.wmh, [0, 34, 33 * 33 - 1]],
      ['init', u.init, [2, 40, 70]],
    ];
    for (const [field, leaf, idx] of checks) {
      const grad = await leaf.grad!.read();
      for (const i of idx) {
        const plus = Float32Array.from(c[field]);
        plus[i] += eps;
        const minus = Float32Array.from(c[field]);
        minus[i] -= eps;
        const fd = ((await lossOf(field, plus)) - (await lossOf(field, minus))) / (2 * eps);
        expect(Math.abs(fd - grad[i]), `${field}[${i}]`).toBeLessThan(3e-3 + 3e-3 * Math.abs(fd));
      }
    }
    // and against the float64 reference on a few entries of W_m and the bias
    const wmRef = mlstmNumericGrad(c, seed, 'wm', [0, 500, 4 * 33 * 33 - 1]);
    const wmGpu = await u.params.wm.grad!.read();
    for (const i of [0, 500, 4 * 33 * 33 - 1]) {
      expect(Math.abs(wmGpu[i] - wmRef[i])).toBeLessThan(1e-4 + 1e-3 * Math.abs(wmRef[i]));
    }
    const bRef = mlstmNumericGrad(c, seed, 'bias');
    expect(closeness(await u.params.bias.grad!.read(), bRef, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
  });

  it('mlstmSequence projects all steps with one matmul and passes gradients to x and wx', async () => {
    const [n, t, d, h] = [2, 4, 3, 5];
    const xd = randomArray(n * t * d, 41);
    const wxd = randomArray(5 * h * d, 42);
    const c = inputs(n, t, h, [4, 2], 43);
    const x = tensor(gpu!, xd, [n, t, d], true);
    const wx = tensor(gpu!, wxd, [5 * h, d], true);
    const u = upload(c);
    const states = mlstmSequence(x, wx, u.params, c.lengths, u.init);
    // same as projecting by hand
    const proj = matmul(tensor(gpu!, xd, [n * t, d]), tensor(gpu!, wxd, [5 * h, d]), {
      transB: true,
    });
    const expected = mlstmReference({ ...c, xproj: await proj.read() });
    expect(closeness(await states.read(), expected, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
    const seed = randomArray(states.size, 44);
    backward(states, tensor(gpu!, seed, states.shape));
    // d x = d xproj @ wx, using the reference gradient of xproj
    const dxproj = mlstmNumericGrad({ ...c, xproj: await proj.read() }, seed, 'xproj');
    const dx = new Float64Array(n * t * d);
    for (let r = 0; r < n * t; r++) {
      for (let k = 0; k < d; k++) {
        for (let o = 0; o < 5 * h; o++) dx[r * d + k] += dxproj[r * 5 * h + o] * wxd[o * d + k];
      }
    }
    expect(closeness(await x.grad!.read(), dx, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
    expect(wx.grad!.shape).toEqual([5 * h, d]);
  });

  it('rejects bad shapes and lengths with both values in the message', () => {
    const c = inputs(2, 3, 4, [3, 3], 51);
    const u = upload(c);
    expect(() => runMlstm(u.xproj, u.params, [3, 4], u.init)).toThrow(
      /length of text 1 out of range \(expected 0\.\.3, got 4\)/,
    );
    expect(() => runMlstm(u.xproj, u.params, [3], u.init)).toThrow(/one length per text/);
    const bad = { ...u.params, wm: tensor(gpu!, randomArray(16), [4, 4]) };
    expect(() => runMlstm(u.xproj, bad, [3, 3], u.init)).toThrow(
      /wm shape \(expected \[16, 4\], got \[4, 4\]\)/,
    );
  });
});
