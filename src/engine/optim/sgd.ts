import code from '../../../shaders/sgd.wgsl?raw';
import { assert } from '../assert';
import { grid1d, packUniform, type KernelSpec } from '../gpu';
import { zeros, type Tensor } from '../tensor';
import { validateParams } from './params';

export interface SGDOptions {
  /** learning rate (>= 0) */
  lr: number;
  /** momentum factor in [0, 1); 0 keeps no state */
  momentum?: number;
  /** L2 penalty added to the gradient (>= 0) */
  weightDecay?: number;
}

export function createSGDProgram(gpu: Tensor['gpu'], withMomentum: boolean): KernelSpec {
  return {
    name: 'sgd',
    code,
    entryPoint: withMomentum ? 'main' : 'plain',
    overrides: { WorkgroupSize: gpu.profile.elementwise.WorkgroupSize },
  };
}

/**
 * Stochastic gradient descent with optional momentum and weight decay, as
 * torch.optim.SGD (dampening 0, no nesterov). Updates parameters in place on
 * the GPU; the optimizer owns its momentum buffers until `dispose()`.
 */
export class SGD {
  lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly params: readonly Tensor[];
  private readonly buffers = new Map<Tensor, Tensor>();

  /** Throws when a parameter is not a leaf with requiresGrad, or an option is out of range. */
  constructor(params: readonly Tensor[], opts: SGDOptions) {
    this.params = validateParams('SGD', params);
    this.lr = opts.lr;
    this.momentum = opts.momentum ?? 0;
    this.weightDecay = opts.weightDecay ?? 0;
    assert(this.lr >= 0, () => `SGD: lr must be >= 0 (got ${this.lr})`);
    assert(
      this.momentum >= 0 && this.momentum < 1,
      () => `SGD: momentum must be in [0, 1) (got ${this.momentum})`,
    );
    assert(this.weightDecay >= 0, () => `SGD: weightDecay must be >= 0 (got ${this.weightDecay})`);
  }

  /** One update of every parameter that has a gradient (others are skipped, as in PyTorch). */
  step(): void {
    for (const p of this.params) {
      const grad = p.grad;
      if (!grad || p.size === 0) continue;
      assert(grad.size === p.size, () => `SGD: grad size (expected ${p.size}, got ${grad.size})`);
      const gpu = p.gpu;
      const withMomentum = this.momentum > 0;
      const kernel = createSGDProgram(gpu, withMomentum);
      const buffers = [p.buffer, grad.buffer];
      if (withMomentum) {
        let buf = this.buffers.get(p);
        if (!buf) {
          // keep(): state must outlive any scope that step() runs in
          buf = zeros(gpu, p.shape).keep();
          this.buffers.set(p, buf);
        }
        buffers.push(buf.buffer);
      }
      gpu.dispatch({
        kernel,
        buffers,
        uniform: packUniform([
          p.size,
          { f32: this.lr },
          { f32: this.momentum },
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

  /** Frees the momentum buffers; the optimizer restarts from zero momentum if used again. */
  dispose(): void {
    for (const buf of this.buffers.values()) buf.dispose();
    this.buffers.clear();
  }
}
