import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AdapterFacts } from '../engine/profile';
import { autoBackend, backendOption, decideBackend } from './cliBackend';

const facts = (over: Partial<AdapterFacts>): AdapterFacts => ({
  vendor: '',
  architecture: '',
  device: '',
  description: '',
  isFallbackAdapter: false,
  ...over,
});

// what Dawn reports for SwiftShader on the development machines
const SWIFTSHADER = facts({
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader driver 5.0.0',
});

describe('auto backend', () => {
  it('runs wasm where there is no adapter', () => {
    expect(autoBackend(null)).toEqual({ kind: 'wasm', why: 'auto: no WebGPU adapter' });
    expect(autoBackend(null, 'WebGPU failed to start (x)').why).toBe(
      'auto: WebGPU failed to start (x)',
    );
  });

  it('runs wasm on a software adapter and names it', () => {
    expect(autoBackend(SWIFTSHADER)).toEqual({
      kind: 'wasm',
      why:
        'auto: WebGPU here is a software adapter (google swiftshader SwiftShader driver 5.0.0), ' +
        '10-100x slower than wasm on the CPU',
    });
    const warp = autoBackend(facts({ vendor: 'microsoft', description: 'Microsoft Basic (WARP)' }));
    expect(warp.kind).toBe('wasm');
  });

  it('runs wasm on an adapter flagged as fallback, whatever its name', () => {
    const d = autoBackend(
      facts({ vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: true }),
    );
    expect(d.kind).toBe('wasm');
    expect(d.why).toContain('a fallback adapter (nvidia ampere)');
  });

  it('runs WebGPU on a hardware adapter', () => {
    expect(autoBackend(facts({ vendor: 'nvidia', architecture: 'ampere' }))).toEqual({
      kind: 'webgpu',
      why: 'auto: hardware WebGPU adapter (nvidia ampere)',
    });
    expect(autoBackend(facts({ vendor: 'apple', architecture: 'metal-3' })).kind).toBe('webgpu');
  });
});

describe('--backend', () => {
  afterEach(() => vi.restoreAllMocks());

  it('defaults to auto and refuses anything but auto, webgpu and wasm', () => {
    expect(backendOption(new Map())).toBe('auto');
    expect(backendOption(new Map([['backend', 'wasm']]))).toBe('wasm');
    expect(() => backendOption(new Map([['backend', 'cuda']]))).toThrow(
      "--backend must be 'auto', 'webgpu' or 'wasm' (got 'cuda')",
    );
    expect(() => backendOption(new Map([['backend', 'true']]))).toThrow('--backend needs a value');
  });

  it('prints the choice and why on one stderr line; asks for the adapter on auto', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((m: string) => void printed.push(m));
    const adapter = vi.fn(async () => ({ facts: SWIFTSHADER, missing: '' }));
    expect((await decideBackend('auto', 'vocode', adapter)).kind).toBe('wasm');
    expect((await decideBackend('webgpu', 'vocode', adapter)).kind).toBe('webgpu');
    expect(adapter).toHaveBeenCalledTimes(1);
    expect(printed).toEqual([
      'semilab vocode: backend wasm (auto: WebGPU here is a software adapter ' +
        '(google swiftshader SwiftShader driver 5.0.0), 10-100x slower than wasm on the CPU)',
      'semilab vocode: backend webgpu (chosen with --backend)',
    ]);
  });
});
