import { BufferPool, type PoolStats } from './bufferPool';
import { log } from './log';
import type { AdapterFacts, AdapterProfile } from './profile';

/** One WGSL program: its code, entry point and override constants. */
export interface KernelSpec {
  /** stable name, used in labels and the pipeline cache key (e.g. 'matmul') */
  name: string;
  code: string;
  entryPoint?: string;
  /** WGSL `override` constants, PascalCase keys identical to the shader's */
  overrides?: Record<string, number>;
}

export interface DispatchSpec {
  kernel: KernelSpec;
  /** storage buffers, bound at 0..n-1 in this order */
  buffers: GPUBuffer[];
  /** bytes of the shader's uniform struct, bound at binding n */
  uniform?: ArrayBuffer;
  workgroups: [number, number?, number?];
}

export interface GpuStats extends PoolStats {
  pipelines: number;
  dispatches: number;
  submits: number;
}

const MAX_DISPATCHES_PER_SUBMIT = 64;

/**
 * The engine's handle on one GPUDevice: pipeline cache, buffer pools, the
 * command encoder that ops append to, and readback. Everything that touches
 * the device goes through here.
 */
export class Gpu {
  readonly pool: BufferPool;
  private readonly uniforms: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private encoded = 0;
  private dispatches = 0;
  private submits = 0;
  private errors: string[] = [];
  private lostListeners = new Set<(reason: string) => void>();
  /** set once the device is lost; a new Gpu must be acquired */
  lostReason: string | null = null;
  /** tensors created inside the current `scope` calls (innermost last) */
  readonly scopes: Set<{ dispose(): void; readonly disposed: boolean }>[] = [];

  constructor(
    readonly device: GPUDevice,
    readonly facts: AdapterFacts,
    readonly profile: AdapterProfile,
  ) {
    this.pool = new BufferPool(
      device,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    );
    this.uniforms = new BufferPool(device, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    device.addEventListener('uncapturederror', (event) => {
      const message = (event as GPUUncapturedErrorEvent).error.message;
      this.errors.push(message);
      log('error', 'gpu', message);
    });
    void device.lost.then((info) => {
      this.lostReason = info.message || info.reason || 'device lost';
      log('warn', 'gpu', `device lost: ${this.lostReason}`);
      for (const listener of this.lostListeners) listener(this.lostReason);
    });
  }

  /** Calls `listener` when the device is lost. Returns the unsubscribe. */
  onLost(listener: (reason: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  pipeline(kernel: KernelSpec): GPUComputePipeline {
    const overrides = JSON.stringify(kernel.overrides ?? {});
    const key = `${kernel.name}:${kernel.entryPoint ?? 'main'}:${overrides}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      const module = this.device.createShaderModule({
        code: kernel.code,
        label: `${kernel.name}.wgsl`,
      });
      pipeline = this.device.createComputePipeline({
        label: `Gpu.pipeline(${key})`,
        layout: 'auto',
        compute: { module, entryPoint: kernel.entryPoint ?? 'main', constants: kernel.overrides },
      });
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /** Appends one compute dispatch to the pending command encoder. */
  dispatch(spec: DispatchSpec): void {
    this.assertAlive();
    const pipeline = this.pipeline(spec.kernel);
    const entries: GPUBindGroupEntry[] = spec.buffers.map((buffer, binding) => ({
      binding,
      resource: { buffer },
    }));
    if (spec.uniform) {
      const uniform = this.uniforms.acquire(spec.uniform.byteLength, `${spec.kernel.name}.uniform`);
      this.device.queue.writeBuffer(uniform, 0, spec.uniform);
      entries.push({ binding: spec.buffers.length, resource: { buffer: uniform } });
      this.uniforms.release(uniform);
    }
    const bindGroup = this.device.createBindGroup({
      label: `${spec.kernel.name}.bindGroup`,
      layout: pipeline.getBindGroupLayout(0),
      entries,
    });
    const pass = this.commandEncoder().beginComputePass({ label: spec.kernel.name });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    const [x, y = 1, z = 1] = spec.workgroups;
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
    this.dispatches++;
    if (++this.encoded >= MAX_DISPATCHES_PER_SUBMIT) this.flush();
  }

  /** The encoder that ops append to; created on demand. */
  commandEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder({ label: 'Gpu.encoder' });
    return this.encoder;
  }

  /** Submits pending commands; released buffers become reusable. */
  flush(): void {
    if (this.encoder) {
      this.device.queue.submit([this.encoder.finish()]);
      this.encoder = null;
      this.encoded = 0;
      this.submits++;
    }
    this.pool.afterSubmit();
    this.uniforms.afterSubmit();
  }

  /** Copies `bytes` from `buffer` to the CPU; throws on GPU errors raised since the last read. */
  async read(buffer: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
    this.assertAlive();
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.device.createBuffer({
      size: Math.max(size, 4),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      label: 'Gpu.read.staging',
    });
    try {
      this.commandEncoder().copyBufferToBuffer(buffer, offset, staging, 0, size);
      this.flush();
      await staging.mapAsync(GPUMapMode.READ);
      const copy = staging.getMappedRange(0, size).slice(0, bytes);
      staging.unmap();
      this.throwPendingErrors();
      return copy;
    } finally {
      staging.destroy();
    }
  }

  /** Waits for all submitted work (for benchmarks). */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.throwPendingErrors();
  }

  throwPendingErrors(): void {
    if (this.errors.length === 0) return;
    const messages = this.errors.splice(0);
    throw new Error(`Gpu: ${messages.length} GPU error(s): ${messages.join(' | ')}`);
  }

  stats(): GpuStats {
    return {
      ...this.pool.stats(),
      pipelines: this.pipelines.size,
      dispatches: this.dispatches,
      submits: this.submits,
    };
  }

  destroy(): void {
    this.pool.trim();
    this.uniforms.trim();
    this.device.destroy();
  }

  private assertAlive(): void {
    if (this.lostReason !== null) {
      throw new Error(`Gpu: the GPU device was lost (${this.lostReason}); acquire a new one`);
    }
  }
}

/** Packs a uniform struct: numbers are u32, `{ f32 }` / `{ i32 }` as named; 16-byte padded. */
export function packUniform(
  fields: Array<number | { f32: number } | { i32: number }>,
): ArrayBuffer {
  const bytes = Math.max(16, Math.ceil((fields.length * 4) / 16) * 16);
  const view = new DataView(new ArrayBuffer(bytes));
  fields.forEach((field, i) => {
    if (typeof field === 'number') view.setUint32(i * 4, field, true);
    else if ('f32' in field) view.setFloat32(i * 4, field.f32, true);
    else view.setInt32(i * 4, field.i32, true);
  });
  return view.buffer;
}

const MAX_GROUPS_PER_DIM = 65535;

/**
 * Workgroup grid for `invocations` threads in groups of `workgroupSize`,
 * folded into y when x would pass the 65535 limit. Shaders recover the flat
 * index as `gid.x + gid.y * nwg.x * WorkgroupSize`.
 */
export function grid1d(invocations: number, workgroupSize: number): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / workgroupSize));
  if (groups <= MAX_GROUPS_PER_DIM) return [groups, 1];
  return [MAX_GROUPS_PER_DIM, Math.ceil(groups / MAX_GROUPS_PER_DIM)];
}
