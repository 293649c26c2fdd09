import code from '../../../shaders/adam.wgsl?raw';
import { assert } from '../assert';
import { grid1d, packUniform, type KernelSpec } from '../gpu';
import { zeros, type Tensor } from '../tensor';
import { validateParams } from './params';

export interface AdamOptions {
  /** learning rate (>= 0) */
  lr: number;
  /** decay of the first moment, in [0, 1) */
  beta1?: number;
  /** decay of the second moment, in [0, 1) */
  beta2?: number;
  /** added to the denominator (>= 0) */
  eps?: number;
  /** L2 penalty added to the gradient (>= 0; not decoupled as in AdamW) */
  weightDecay?: number;
}

export function createAdamProgram(gpu: Tensor['gpu']): KernelSpec {
  return {
    name: 'adam',
    code,
    overrides: { WorkgroupSize: gpu.profile.elementwise.WorkgroupSize },
  };
}

interface AdamState {
  step: number;
  m: Tensor;
  v: Tensor;
}

/**
 * Adam as torch.optim.Adam (bias-corrected moments, L2 weight decay, no
 * amsgrad). Updates parameters in place on the GPU; the optimizer owns the
 * moment tensors (two per parameter, created at its first update) until `dispose()`.
 */
export class Adam {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly params: readonly Tensor[];
  private readonly state = new Map<Tensor, AdamState>();

  /** Throws when a parameter is not a leaf with requiresGrad, or an option is out of range. */
  constructor(params: readonly Tensor[], opts: AdamOptions) {
    this.params = validateParams('Adam', params);
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    assert(this.lr >= 0, () => `Adam: lr must be >= 0 (got ${this.lr})`);
    for (const [name, b] of [
      ['beta1', this.beta1],
      ['beta2', this.beta2],
    ] as const) {
      assert(b >= 0 && b < 1, () => `Adam: ${name} must be in [0, 1) (got ${b})`);
    }
    assert(this.eps >= 0, () => `Adam: eps must be >= 0 (got ${this.eps})`);
    assert(this.weightDecay >= 0, () => `Adam: weightDecay must be >= 0 (got ${this.weightDecay})`);
  }

  /** One update of every parameter that has a gradient (others are skipped, as in PyTorch). */
  step(): void {
    for (const p of this.params) {
      const grad = p.grad;
      if (!grad || p.size === 0) continue;
      assert(grad.size === p.size, () => `Adam: grad size (expected ${p.size}, got ${grad.size})`);
      const gpu = p.gpu;
      let s = this.state.get(p);
      if (!s) {
        // keep(): state must outlive any scope that step() runs in
        s = { step: 0, m: zeros(gpu, p.shape).keep(), v: zeros(gpu, p.shape).keep() };
        this.state.set(p, s);
      }
      s.step++;
      const stepSize = this.lr / (1 - this.beta1 ** s.step);
      const bc2Sqrt = Math.sqrt(1 - this.beta2 ** s.step);
      const kernel = createAdamProgram(gpu);
      gpu.dispatch({
        kernel,
        buffers: [p.buffer, grad.buffer, s.m.buffer, s.v.buffer],
        uniform: packUniform([
          p.size,
          { f32: stepSize },
          { f32: bc2Sqrt },
          { f32: this.beta1 },
          { f32: this.beta2 },
          { f32: this.eps },
          { f32: this.weightDecay },
        ]),
        workgroups: grid1d(p.size, kernel.overrides!.WorkgroupSize),
      });
    }
  }

  /** Disposes every parameter's gradient and sets it to null. */
  zeroGrad(): void {
    for (const p of this.params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Frees the moment tensors; a later step starts over at step 1. */
  dispose(): void {
    for (const s of this.state.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.state.clear();
  }
}
