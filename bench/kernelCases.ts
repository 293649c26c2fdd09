// The shapes `semilab bench kernels` measures, each as our engine call and an
// ONNX graph of the same math for onnxruntime-web. Shapes follow the models:
// a square matmul, the vocoder's dilated conv1d, a pix2pix-style conv2d.
import { noGrad } from '../src/engine/autograd';
import type { Gpu } from '../src/engine/gpu';
import { conv1d } from '../src/engine/ops/conv1d';
import { conv2d } from '../src/engine/ops/conv2d';
import { matmul } from '../src/engine/ops/matmul';
import type { Tensor } from '../src/engine/tensor';
import type { OnnxGraph } from '../src/io/onnxWriter';

export interface KernelCase {
  name: string;
  direction: 'forward' | 'backward';
  /** floating-point operations of one run (multiply-add = 2) */
  flops: number;
  inputs: Record<string, number[]>;
  /** runs our engine; returns the tensors a caller reads back */
  ours(gpu: Gpu, inputs: Record<string, Tensor>): Tensor[];
  /** the same computation for onnxruntime-web, inputs by the same names */
  onnx: OnnxGraph | null;
}

export function matmulCases(n: number): KernelCase[] {
  const shapes = { a: [n, n], b: [n, n] };
  return [
    {
      name: `matmul ${n}x${n}x${n}`,
      direction: 'forward',
      flops: 2 * n * n * n,
      inputs: shapes,
      ours: (_, t) => [matmul(t.a, t.b)],
      onnx: {
        nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }],
        inputs: shapes,
        outputs: { c: [n, n] },
      },
    },
    {
      // dA = G B^T and dB = A^T G, with G = ones (the seed of sum(C))
      name: `matmul ${n}x${n}x${n}`,
      direction: 'backward',
      flops: 4 * n * n * n,
      inputs: { a: [n, n], b: [n, n], g: [n, n] },
      ours: (_, t) => vjp(t, 'a', 'b', (a, b) => matmul(a, b)),
      onnx: {
        nodes: [
          { op: 'Gemm', inputs: ['g', 'b'], outputs: ['da'], attributes: { transB: 1 } },
          { op: 'Gemm', inputs: ['a', 'g'], outputs: ['db'], attributes: { transA: 1 } },
        ],
        inputs: { a: [n, n], b: [n, n], g: [n, n] },
        outputs: { da: [n, n], db: [n, n] },
      },
    },
  ];
}

const forwards = new WeakMap<Record<string, Tensor>, Tensor>();

/**
 * The backward alone, as the ORT graph computes it: the op's recorded
 * vector-Jacobian product applied to seed `g`, giving both input gradients.
 * The forward runs once per input set (in the untimed warm-up) and is reused.
 */
function vjp(
  t: Record<string, Tensor>,
  first: string,
  second: string,
  op: (a: Tensor, b: Tensor) => Tensor,
): Tensor[] {
  let out = forwards.get(t);
  if (!out) {
    t[first].requiresGrad = true;
    t[second].requiresGrad = true;
    out = op(t[first], t[second]);
    forwards.set(t, out);
  }
  const grads = noGrad(() => out.node!.backward(t.g));
  return grads.filter((g): g is Tensor => g !== null);
}

/**
 * Stride-1 conv (1-D or 2-D by `spatial`) forward and backward. The peer's
 * backward is the same math as ONNX ops: dX = ConvTranspose(G, W), and
 * dW = Conv(X^T, G^T) with the roles of batch and channels swapped, stride = dilation.
 */
function convCases(
  label: string,
  n: number,
  cIn: number,
  cOut: number,
  k: number,
  dil: number,
  spatial: number[],
): KernelCase[] {
  const d = spatial.length;
  const pad = (dil * (k - 1)) / 2; // "same" padding keeps the output size
  const x = [n, cIn, ...spatial];
  const w = [cOut, cIn, ...spatial.map(() => k)];
  const y = [n, cOut, ...spatial];
  const flops = 2 * n * cOut * cIn * k ** d * spatial.reduce((a, b) => a * b, 1);
  const attrs = {
    dilations: spatial.map(() => dil),
    pads: [...spatial.map(() => pad), ...spatial.map(() => pad)],
    strides: spatial.map(() => 1),
  };
  const perm = [1, 0, ...spatial.map((_, i) => i + 2)];
  const op =
    d === 1
      ? (a: Tensor, b: Tensor) => conv1d(a, b, null, { padding: pad, dilation: dil })
      : (a: Tensor, b: Tensor) => conv2d(a, b, null, { padding: pad, dilation: dil });
  return [
    {
      name: label,
      direction: 'forward',
      flops,
      inputs: { x, w },
      ours: (_, t) => [op(t.x, t.w)],
      onnx: {
        nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attributes: attrs }],
        inputs: { x, w },
        outputs: { y },
      },
    },
    {
      name: label,
      direction: 'backward',
      flops: 2 * flops,
      inputs: { x, w, g: y },
      ours: (_, t) => vjp(t, 'x', 'w', op),
      onnx: {
        nodes: [
          { op: 'ConvTranspose', inputs: ['g', 'w'], outputs: ['dx'], attributes: attrs },
          { op: 'Transpose', inputs: ['x'], outputs: ['xt'], attributes: { perm } },
          { op: 'Transpose', inputs: ['g'], outputs: ['gt'], attributes: { perm } },
          {
            op: 'Conv',
            inputs: ['xt', 'gt'],
            outputs: ['dwt'],
            attributes: { pads: attrs.pads, strides: attrs.dilations },
          },
          { op: 'Transpose', inputs: ['dwt'], outputs: ['dw'], attributes: { perm } },
        ],
        inputs: { x, w, g: y },
        outputs: { dx: x, dw: w },
      },
    },
  ];
}

/** Every case; 'quick' uses small shapes (a smoke run), 'full' the recorded ones. */
export function allCases(scale: 'quick' | 'full'): KernelCase[] {
  if (scale === 'quick') {
    return [
      ...matmulCases(128),
      ...convCases('conv1d 32->64 k3 d2 T512', 1, 32, 64, 3, 2, [512]),
      ...convCases('conv2d 8->8 3x3 32x32', 1, 8, 8, 3, 1, [32, 32]),
    ];
  }
  return [
    ...matmulCases(512),
    // a WaveGlow WN layer (original config: 256 channels, gated 512 out);
    // T 1024 keeps the slowest peer's runs under a minute on SwiftShader
    ...convCases('conv1d 256->512 k3 d2 T1024', 1, 256, 512, 3, 2, [1024]),
    // a pix2pixHD residual block at low resolution
    ...convCases('conv2d 32->32 3x3 64x64', 1, 32, 32, 3, 1, [64, 64]),
  ];
}
