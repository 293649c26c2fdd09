import code from '../shaders/peak-flops.wgsl?raw';
import { packUniform, type Gpu } from '../src/engine/gpu';
import { empty } from '../src/engine/tensor';

/** Measured GFLOP/s of a pure multiply-add kernel: the adapter's practical peak. */
export async function measurePeakGflops(gpu: Gpu): Promise<number> {
  const WorkgroupSize = 64;
  const groups = 256;
  const iterations = 4096;
  const sink = empty(gpu, [groups * WorkgroupSize]);
  const run = () =>
    gpu.dispatch({
      kernel: { name: 'peak-flops', code, overrides: { WorkgroupSize } },
      buffers: [sink.buffer],
      uniform: packUniform([iterations, { f32: 0.5 }]),
      workgroups: [groups],
    });
  run();
  await gpu.sync();
  const reps = 3;
  const start = performance.now();
  for (let r = 0; r < reps; r++) run();
  await gpu.sync();
  const seconds = (performance.now() - start) / 1000;
  sink.dispose();
  const flops = reps * groups * WorkgroupSize * iterations * 32;
  return flops / seconds / 1e9;
}
