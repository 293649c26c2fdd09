/**
 * What the engine knows about one adapter: whether it is a software
 * rasteriser, and the kernel variants and tile shapes that are fast on it.
 * On SwiftShader unrolled register tiles win and workgroup barriers cost more
 * than they save; real GPUs favour shared-memory tiles (shared/docs/ENVIRONMENT.md).
 */
export interface AdapterProfile {
  /** human-readable adapter name for the header */
  name: string;
  vendor: string;
  architecture: string;
  /** true for CPU implementations (SwiftShader, WARP, lavapipe) */
  isSoftware: boolean;
  matmul: { variant: 'register' | 'shared'; WorkgroupX: number; WorkgroupY: number };
  conv: { WorkgroupSize: number };
  elementwise: { WorkgroupSize: number };
}

export interface AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

export function readAdapterFacts(adapter: GPUAdapter): AdapterFacts {
  const info = (adapter.info ?? {}) as Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean };
  const legacy = (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? legacy ?? false),
  };
}

const SOFTWARE_MARKERS = ['swiftshader', 'llvmpipe', 'lavapipe', 'warp', 'software'];

export function isSoftwareAdapter(facts: AdapterFacts): boolean {
  if (facts.isFallbackAdapter) return true;
  const text = `${facts.vendor} ${facts.architecture} ${facts.device} ${facts.description}`;
  return SOFTWARE_MARKERS.some((m) => text.toLowerCase().includes(m));
}

export function profileFor(facts: AdapterFacts): AdapterProfile {
  const isSoftware = isSoftwareAdapter(facts);
  const parts = [facts.vendor, facts.architecture, facts.description || facts.device];
  const name = parts.filter((p) => p).join(' ') || 'unknown adapter';
  return {
    name,
    vendor: facts.vendor,
    architecture: facts.architecture,
    isSoftware,
    matmul: isSoftware
      ? { variant: 'register', WorkgroupX: 8, WorkgroupY: 8 }
      : { variant: 'shared', WorkgroupX: 16, WorkgroupY: 16 },
    conv: { WorkgroupSize: isSoftware ? 64 : 256 },
    elementwise: { WorkgroupSize: isSoftware ? 64 : 256 },
  };
}
