// WaveGlow's WN: a non-causal WaveNet that maps the first half of the
// channels (and the folded mel) to the coupling's shift and log-scale.
// Twin of WN.forward in training/waveglow/model.py; every op is
// differentiable, so the same code serves synthesis and training.
import { add } from '../../engine/ops/binary';
import { conv1d } from '../../engine/ops/conv1d';
import { gatedTanhSigmoid } from '../../engine/ops/gated-tanh-sigmoid';
import { slice } from '../../engine/ops/slice';
import type { Tensor } from '../../engine/tensor';
import type { WaveGlowWeights } from './weights';

/**
 * WN of flow `k`: audio0 [N, half, T], spect [N, n_mel*n_group, T] -> [N, 2*half, T]
 * (shift b in the first half of the channels, log-scale in the second).
 * Intermediates are left to the caller's scope (backward may need them).
 */
export function waveNet(
  weights: WaveGlowWeights,
  k: number,
  audio0: Tensor,
  spect: Tensor,
): Tensor {
  const { n_layers: layers, n_channels: ch, kernel_size: ks } = weights.config.WN_config;
  const p = (name: string): Tensor => weights.get(`WN.${k}.${name}`);
  let x = conv1d(audio0, p('start.weight'), p('start.bias'));
  // one 1x1 conv conditions every layer; layer i reads channels [2C*i, 2C*(i+1))
  const cond = conv1d(spect, p('cond_layer.weight'), p('cond_layer.bias'));
  let skip: Tensor | null = null;
  for (let i = 0; i < layers; i++) {
    const dilation = 2 ** i;
    const padding = (ks * dilation - dilation) / 2;
    const pre = conv1d(x, p(`in_layers.${i}.weight`), p(`in_layers.${i}.bias`), {
      dilation,
      padding,
    });
    const acts = gatedTanhSigmoid(pre, slice(cond, 1, 2 * ch * i, 2 * ch * (i + 1)));
    const resSkip = conv1d(acts, p(`res_skip_layers.${i}.weight`), p(`res_skip_layers.${i}.bias`));
    if (i < layers - 1) {
      x = add(x, slice(resSkip, 1, 0, ch));
      const s = slice(resSkip, 1, ch, 2 * ch);
      skip = skip ? add(skip, s) : s;
    } else {
      skip = skip ? add(skip, resSkip) : resSkip;
    }
  }
  return conv1d(skip!, p('end.weight'), p('end.bias'));
}
