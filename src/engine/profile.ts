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
  conv: {
    /** 1-D workgroup of the one-output-per-invocation conv kernels */
    WorkgroupSize: number;
    /** conv1d forward: 'naive' (one output each) or 'register' (4x4 vec4 tiles, unrolled) */
    conv1d: 'naive' | 'register';
    /** conv2d forward (and transposed-conv input gradient): 'naive' or 'register' (4x4 vec4 tiles) */
    conv2d: 'naive' | 'register';
    /** workgroup of the register-tiled conv1d: x over time tiles, y over channel tiles */
    WorkgroupX: number;
    WorkgroupY: number;
  };
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
    // register tiles were 4-9x faster than naive on SwiftShader; untested on hardware
    conv: isSoftware
      ? { WorkgroupSize: 64, conv1d: 'register', conv2d: 'register', WorkgroupX: 8, WorkgroupY: 8 }
      : {
          WorkgroupSize: 256,
          conv1d: 'register',
          conv2d: 'register',
          WorkgroupX: 16,
          WorkgroupY: 4,
        },
    elementwise: { WorkgroupSize: isSoftware ? 64 : 256 },
  };
}
