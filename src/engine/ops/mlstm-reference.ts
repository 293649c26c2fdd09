// Float64 CPU reference of the mLSTM recurrence (shaders/mlstm-*.wgsl), for
// tests: the same layouts as src/engine/ops/mlstm.ts, written as plainly as
// possible so it can be trusted as the check.

export interface MlstmReferenceInputs {
  texts: number;
  steps: number;
  hidden: number;
  /** [N, T, 5H]: W_mx x_t, then W_x x_t for gates i f o u */
  xproj: ArrayLike<number>;
  /** [H, H] */
  wmh: ArrayLike<number>;
  /** [4H, H] */
  wm: ArrayLike<number>;
  /** [4H] */
  bias: ArrayLike<number>;
  /** [N, 2H] h0 | c0 */
  init: ArrayLike<number>;
  lengths: ArrayLike<number>;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** states [N, T, 2H] (h_t | c_t); steps at or past a text's length keep the state. */
export function mlstmReference(p: MlstmReferenceInputs): Float64Array {
  const { texts, steps, hidden: H } = p;
  const out = new Float64Array(texts * steps * 2 * H);
  for (let n = 0; n < texts; n++) {
    let h = Array.from({ length: H }, (_, j) => p.init[n * 2 * H + j]);
    let c = Array.from({ length: H }, (_, j) => p.init[n * 2 * H + H + j]);
    for (let t = 0; t < steps; t++) {
      if (t < p.lengths[n]) {
        const row = (n * steps + t) * 5 * H;
        const m = new Array<number>(H);
        for (let j = 0; j < H; j++) {
          let r = 0;
          for (let k = 0; k < H; k++) r += p.wmh[j * H + k] * h[k];
          m[j] = p.xproj[row + j] * r;
        }
        const z = new Array<number>(4 * H);
        for (let u = 0; u < 4 * H; u++) {
          let acc = p.xproj[row + H + u] + p.bias[u];
          for (let k = 0; k < H; k++) acc += p.wm[u * H + k] * m[k];
          z[u] = acc;
        }
        const c2 = c.map(
          (cp, j) => sigmoid(z[H + j]) * cp + sigmoid(z[j]) * Math.tanh(z[3 * H + j]),
        );
        h = c2.map((cj, j) => sigmoid(z[2 * H + j]) * Math.tanh(cj));
        c = c2;
      }
      const at = (n * steps + t) * 2 * H;
      for (let j = 0; j < H; j++) {
        out[at + j] = h[j];
        out[at + H + j] = c[j];
      }
    }
  }
  return out;
}

/** sum(states * weights): a scalar whose gradient with respect to the states is `weights`. */
export function weightedStateSum(p: MlstmReferenceInputs, weights: ArrayLike<number>): number {
  const s = mlstmReference(p);
  let acc = 0;
  for (let i = 0; i < s.length; i++) acc += s[i] * weights[i];
  return acc;
}

type Field = 'xproj' | 'wmh' | 'wm' | 'bias' | 'init';

/**
 * Float64 central differences of `weightedStateSum` with respect to every
 * entry of `field`, or of `indices` only (the others stay 0). Step 1e-6:
 * errors near 1e-9, far below f32 noise.
 */
export function mlstmNumericGrad(
  p: MlstmReferenceInputs,
  weights: ArrayLike<number>,
  field: Field,
  indices?: readonly number[],
  eps = 1e-6,
): Float64Array {
  const base = Float64Array.from(p[field]);
  const grad = new Float64Array(base.length);
  for (const i of indices ?? base.keys()) {
    const plus = base.slice();
    plus[i] += eps;
    const minus = base.slice();
    minus[i] -= eps;
    const fp = weightedStateSum({ ...p, [field]: plus }, weights);
    const fm = weightedStateSum({ ...p, [field]: minus }, weights);
    grad[i] = (fp - fm) / (2 * eps);
  }
  return grad;
}
