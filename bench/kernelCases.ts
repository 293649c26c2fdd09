// The shapes `semilab bench kernels` measures, each as our engine call and an
// ONNX graph of the same math for onnxruntime-web. Shapes follow the models:
// a square matmul, the vocoder's dilated conv1d, a pix2pix-style conv2d.
import { backward } from '../src/engine/autograd';
import type { Gpu } from '../src/engine/gpu';
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
      ours: (_, t) => {
        t.a.requiresGrad = true;
        t.b.requiresGrad = true;
        t.a.grad = null;
        t.b.grad = null;
        backward(matmul(t.a, t.b), t.g);
        return [t.a.grad!, t.b.grad!];
      },
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

/** Every case; 'quick' uses small shapes (a smoke run), 'full' the recorded ones. */
export function allCases(scale: 'quick' | 'full'): KernelCase[] {
  return [...matmulCases(scale === 'quick' ? 128 : 512)];
}
