import { describe, expect, it } from 'vitest';
import { chooseBackend } from './backendChoice';

const fixed = (ms: number) => async () => ms;

describe('chooseBackend', () => {
  it('falls back to wasm with the reason when WebGPU is unavailable', async () => {
    const c = await chooseBackend({ webgpuUnavailable: 'no adapter', probe: { webgpu: fixed(1) } });
    expect(c.kind).toBe('wasm');
    expect(c.reason).toContain('no adapter');
  });

  it('picks the faster backend from the probe and says by how much', async () => {
    const slowGpu = await chooseBackend({
      webgpuUnavailable: null,
      probe: { webgpu: fixed(40), wasm: fixed(4) },
    });
    expect(slowGpu.kind).toBe('wasm');
    expect(slowGpu.reason).toContain('10.0x');
    expect(slowGpu.measuredMs).toEqual({ webgpu: 40, wasm: 4 });
    const fastGpu = await chooseBackend({
      webgpuUnavailable: null,
      probe: { webgpu: fixed(2), wasm: fixed(8) },
    });
    expect(fastGpu.kind).toBe('webgpu');
    expect(fastGpu.reason).toContain('4.0x faster than wasm');
  });

  it('honours an override without probing', async () => {
    let probed = false;
    const c = await chooseBackend({
      webgpuUnavailable: null,
      override: 'webgpu',
      probe: { wasm: async () => ((probed = true), 1) },
    });
    expect(c).toMatchObject({ kind: 'webgpu', overridden: true });
    expect(probed).toBe(false);
  });

  it('does not choose a backend whose probe throws', async () => {
    const c = await chooseBackend({
      webgpuUnavailable: null,
      probe: { webgpu: fixed(50), wasm: async () => Promise.reject(new Error('wasm failed')) },
    });
    expect(c.kind).toBe('webgpu');
    expect(c.reason).toContain('wasm unavailable');
  });
});
