// Group layouts of WaveGlow: audio [N, T] <-> [N, n_group, T/n_group] and the
// upsampled mel [N, n_mel, T] -> [N, n_mel*n_group, T/n_group] (NVIDIA's
// unfold layout: channel m*n_group + j holds sample j of each group).
// The engine has no permute op, so the swap of the last two axes is a product
// with a small identity matrix: exact in f32 and differentiable.
import type { Gpu } from '../../engine/gpu';
import { matmul } from '../../engine/ops/matmul';
import { reshape } from '../../engine/ops/reshape';
import { tensor, type Tensor } from '../../engine/tensor';

/** Identity matrices by size, owned by one model (they must outlive backward). */
export class IdentityCache {
  private readonly eyes = new Map<number, Tensor>();

  constructor(private readonly gpu: Gpu) {}

  get(n: number): Tensor {
    let eye = this.eyes.get(n);
    if (!eye) {
      const data = new Float32Array(n * n);
      for (let i = 0; i < n; i++) data[i * n + i] = 1;
      eye = tensor(this.gpu, data, [n, n]).keep();
      this.eyes.set(n, eye);
    }
    return eye;
  }

  dispose(): void {
    for (const eye of this.eyes.values()) eye.dispose();
    this.eyes.clear();
  }
}

/** x [..., P, Q] -> [..., Q, P], multiplying by the identity of the smaller side. */
export function swapLastAxes(x: Tensor, eyes: IdentityCache): Tensor {
  const [p, q] = x.shape.slice(-2);
  // x^T I_P (x read transposed) or I_Q x^T; either way the identity is small
  return p <= q
    ? matmul(x, eyes.get(p), { transA: true })
    : matmul(eyes.get(q), x, { transB: true });
}

/** Upsampled mel [N, n_mel, T] (T a multiple of g) -> [N, n_mel*g, T/g]. */
export function foldSpect(spect: Tensor, g: number, eyes: IdentityCache): Tensor {
  const [n, mel, t] = spect.shape;
  const grouped = reshape(spect, [n * mel, t / g, g]);
  return reshape(swapLastAxes(grouped, eyes), [n, mel * g, t / g]);
}

/** Audio [N, T] (T a multiple of g) -> [N, g, T/g]: sample j of each group in channel j. */
export function groupAudio(audio: Tensor, g: number, eyes: IdentityCache): Tensor {
  const [n, t] = audio.shape;
  return swapLastAxes(reshape(audio, [n, t / g, g]), eyes);
}

/** [N, g, T/g] -> audio [N, T], the inverse of groupAudio. */
export function ungroupAudio(z: Tensor, eyes: IdentityCache): Tensor {
  const [n, g, groups] = z.shape;
  return reshape(swapLastAxes(z, eyes), [n, g * groups]);
}
