import { assert } from './assert';
import type { Gpu } from './gpu';
import type { GradNode } from './autograd';

let nextId = 1;

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A pooled GPU buffer shared by a tensor and its reshaped views. */
interface Storage {
  buffer: GPUBuffer;
  refs: number;
}

/**
 * An f32 tensor living in one pooled GPU buffer, row-major (last axis
 * fastest). The tensor holds a reference to its storage until `dispose()`;
 * the buffer returns to the pool when its last tensor is disposed. Created
 * inside a `scope`, it is disposed when the scope ends unless returned or kept.
 */
export class Tensor {
  readonly id = nextId++;
  readonly size: number;
  /** gradient, set by `backward` on leaves that require it */
  grad: Tensor | null = null;
  /** how this tensor was computed; null for leaves or when not recording */
  node: GradNode | null = null;
  private storage: Storage | null;

  constructor(
    readonly gpu: Gpu,
    readonly shape: readonly number[],
    source: GPUBuffer | Tensor,
    public requiresGrad = false,
  ) {
    this.size = sizeOf(shape);
    if (source instanceof Tensor) {
      assert(source.storage, 'Tensor: view of a disposed tensor');
      this.storage = source.storage;
      this.storage.refs++;
    } else {
      this.storage = { buffer: source, refs: 1 };
    }
    gpu.scopes.at(-1)?.add(this);
  }

  get buffer(): GPUBuffer {
    assert(
      this.storage,
      () => `Tensor: use after dispose (id ${this.id}, shape ${shapeText(this.shape)})`,
    );
    return this.storage.buffer;
  }

  get rank(): number {
    return this.shape.length;
  }

  get disposed(): boolean {
    return this.storage === null;
  }

  /** Drops this tensor's hold on its buffer. Safe to call twice. */
  dispose(): void {
    if (!this.storage) return;
    if (--this.storage.refs === 0) this.gpu.pool.release(this.storage.buffer);
    this.storage = null;
    this.node = null;
  }

  /** Removes the tensor from the enclosing scope, so it outlives it. */
  keep(): this {
    for (const scope of this.gpu.scopes) scope.delete(this);
    return this;
  }

  /** Reads the values back to the CPU (costs a GPU round trip). */
  async read(): Promise<Float32Array> {
    const bytes = await this.gpu.read(this.buffer, this.size * 4);
    return new Float32Array(bytes);
  }
}

/** An uninitialised tensor of `shape` (contents are whatever the pool held). */
export function empty(gpu: Gpu, shape: readonly number[], label = 'tensor'): Tensor {
  assert(
    shape.every((d) => Number.isInteger(d) && d >= 0),
    () => `empty: shape must hold non-negative integers (got ${shapeText(shape)})`,
  );
  const buffer = gpu.pool.acquire(Math.max(4, sizeOf(shape) * 4), label);
  return new Tensor(gpu, shape, buffer);
}

export function zeros(gpu: Gpu, shape: readonly number[]): Tensor {
  const t = empty(gpu, shape, 'zeros');
  gpu.commandEncoder().clearBuffer(t.buffer);
  return t;
}

/** Uploads `data` (length must equal the shape's size). */
export function tensor(
  gpu: Gpu,
  data: ArrayLike<number>,
  shape: readonly number[],
  requiresGrad = false,
): Tensor {
  assert(
    data.length === sizeOf(shape),
    () =>
      `tensor: data length does not match shape ${shapeText(shape)} (expected ${sizeOf(shape)}, got ${data.length})`,
  );
  const t = empty(gpu, shape, 'upload');
  const values = data instanceof Float32Array ? data : Float32Array.from(data);
  if (values.length > 0) {
    gpu.device.queue.writeBuffer(t.buffer, 0, values.buffer, values.byteOffset, values.byteLength);
  }
  t.requiresGrad = requiresGrad;
  return t;
}

export function filled(gpu: Gpu, shape: readonly number[], value: number): Tensor {
  return tensor(gpu, new Float32Array(sizeOf(shape)).fill(value), shape);
}

/**
 * Runs `fn` and disposes every tensor it created, except those it returns
 * (a tensor, or an array or object of tensors) and those it `keep()`s.
 */
export function scope<T>(gpu: Gpu, fn: () => T): T {
  const created = new Set<{ dispose(): void; readonly disposed: boolean }>();
  gpu.scopes.push(created);
  let result: T;
  try {
    result = fn();
  } finally {
    gpu.scopes.pop();
  }
  const returned = new Set<unknown>();
  const collect = (value: unknown): void => {
    if (value instanceof Tensor) returned.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object' && !(value instanceof Promise)) {
      Object.values(value).forEach(collect);
    }
  };
  collect(result);
  for (const t of created) {
    if (returned.has(t)) gpu.scopes.at(-1)?.add(t);
    else t.dispose();
  }
  return result;
}

/** A new tensor holding a copy of `t` (no autograd). */
export function clone(t: Tensor): Tensor {
  const out = empty(t.gpu, t.shape, 'clone');
  if (t.size > 0) t.gpu.commandEncoder().copyBufferToBuffer(t.buffer, 0, out.buffer, 0, t.size * 4);
  return out;
}
