import { fail, ok, type Result } from './assert';
import { Gpu } from './gpu';
import { profileFor, readAdapterFacts } from './profile';

export type GpuErrorCode = 'no-webgpu' | 'no-adapter' | 'device-failed';

export interface GpuError {
  code: GpuErrorCode;
  /** a sentence the user understands */
  message: string;
}

/**
 * Acquires an adapter and device from `gpuApi` (the browser's `navigator.gpu`
 * or Dawn's in Node) and wraps them in a `Gpu`. Requests the adapter's largest
 * buffer and workgroup-memory limits, since the defaults (128 MiB bindings,
 * 16 KiB workgroup memory) are too small for real models.
 */
export async function acquireGpu(gpuApi: GPU | undefined | null): Promise<Result<Gpu, GpuError>> {
  if (!gpuApi) {
    return fail({
      code: 'no-webgpu',
      message:
        'This browser has no WebGPU (navigator.gpu is missing). Use a recent Chrome or Edge, ' +
        'or serve the page from localhost or https.',
    });
  }
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpuApi.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return fail({ code: 'no-adapter', message: `WebGPU found no adapter: ${String(err)}` });
  }
  if (!adapter) {
    return fail({
      code: 'no-adapter',
      message: 'WebGPU is present but offers no adapter (GPU blocklisted or drivers missing).',
    });
  }
  const limits = adapter.limits;
  const features: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) features.push('timestamp-query');
  try {
    const device = await adapter.requestDevice({
      label: 'semilab',
      requiredFeatures: features,
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    const facts = readAdapterFacts(adapter);
    return ok(new Gpu(device, facts, profileFor(facts)));
  } catch (err) {
    return fail({
      code: 'device-failed',
      message: `WebGPU could not create a device: ${String(err)}`,
    });
  }
}
