// One ONNX model on onnxruntime-web's wasm backend: the inference fallback
// where WebGPU is missing or slower than wasm (see backendChoice.ts).
import type * as Ort from 'onnxruntime-web';
import { warnOnce } from '../log';

export interface HostTensor {
  data: Float32Array;
  shape: number[];
}

let runtime: Promise<typeof Ort> | null = null;
/** ORT's worker proxy exists only in a page, not in Node */
const proxied = typeof document !== 'undefined';

function loadRuntime(): Promise<typeof Ort> {
  runtime ??= import('onnxruntime-web/wasm').then((ort) => {
    // threads need cross-origin isolation (COOP/COEP, set by our dev server)
    const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
    const cores = typeof navigator !== 'undefined' ? (navigator.hardwareConcurrency ?? 1) : 1;
    ort.env.wasm.numThreads = isolated ? Math.min(4, cores) : 1;
    // in a page, run sessions in ORT's worker so a long run does not freeze the UI
    // (a 2 s synthesis blocked the main thread for 7.8 s; see `run` for the cost)
    ort.env.wasm.proxy = proxied;
    if (!isolated)
      warnOnce('ort', 'no-isolation', 'page not cross-origin isolated: wasm runs single-threaded');
    return ort as unknown as typeof Ort;
  });
  return runtime;
}

export class OrtModel {
  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
  ) {}

  /** Loads a model from ONNX bytes. Throws `OrtModel: ...` when the bytes are not a valid model. */
  static async create(bytes: Uint8Array): Promise<OrtModel> {
    const ort = await loadRuntime();
    try {
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
      return new OrtModel(ort, session);
    } catch (err) {
      throw new Error(`OrtModel: could not load the ONNX model (${String(err)})`);
    }
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  async run(feeds: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
    const ortFeeds: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      // the proxy transfers input buffers to its worker, detaching them here, and callers
      // keep theirs (recurrent state, mel chunks): give it copies
      const data = proxied ? t.data.slice() : t.data;
      ortFeeds[name] = new this.ort.Tensor('float32', data, t.shape);
    }
    const result = await this.session.run(ortFeeds);
    const out: Record<string, HostTensor> = {};
    for (const name of this.session.outputNames) {
      out[name] = { data: result[name].data as Float32Array, shape: [...result[name].dims] };
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
