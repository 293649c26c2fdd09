import { describe, expect, it } from 'vitest';
import type { Gpu } from '../engine/gpu';
import type { AdapterFacts } from '../engine/profile';
import { fitGpu, fitPlace } from './fitDevice';

function gpuOn(facts: Partial<AdapterFacts>): Gpu {
  const all = { vendor: '', architecture: '', device: '', description: '', ...facts };
  return { facts: { isFallbackAdapter: false, ...all } } as unknown as Gpu;
}

describe('fitGpu', () => {
  it('fits on a hardware adapter, and on the CPU on a software one or without WebGPU', () => {
    const hardware = gpuOn({ vendor: 'nvidia', architecture: 'hopper' });
    const swiftshader = gpuOn({ vendor: 'google', description: 'SwiftShader driver' });
    const fallback = gpuOn({ vendor: 'someone', isFallbackAdapter: true });
    expect(fitGpu(hardware)).toBe(hardware);
    expect(fitGpu(swiftshader)).toBeNull();
    expect(fitGpu(fallback)).toBeNull();
    expect(fitGpu(null)).toBeNull();
    expect(fitPlace(hardware)).toBe('on the GPU');
    expect(fitPlace(swiftshader)).toContain('on the CPU (faster than a software');
    expect(fitPlace(null)).toBe('on the CPU');
  });
});
