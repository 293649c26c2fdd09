// Host loops of `semilab bench mlstm` over a one-step mLSTM graph on an
// onnxruntime-web session: featurizing a batch of texts and greedy generation,
// as MlstmModel.featurize / generate do. Two graphs plug in: the PyTorch
// export (byte, h, c -> logits, h_next, c_next) and the studio's TS-built
// step + head (mlstmOnnx.ts: onehot, h, c -> h_next, c_next; h -> logits).
import type * as Ort from 'onnxruntime-web';
import { sampleByte } from '../src/models/mlstm/mlstm';

type OrtModule = typeof Ort;

/** h and c [N, H], and the logits of h where the step graph gives them. */
interface StepState {
  h: Float32Array;
  c: Float32Array;
  logits?: Float32Array;
}

/** One recurrent step of a batch on some graph, and the next-byte logits of its h. */
export interface StepGraph {
  readonly hidden: number;
  step(bytes: readonly number[], h: Float32Array, c: Float32Array): Promise<StepState>;
  /** logits [N, 256] of `state.h` */
  logits(state: StepState): Promise<Float32Array>;
  release(): Promise<void>;
}

/** PyTorch's export (training/mlstm/export.py Step): the byte comes in as float32. */
export function exportedStepGraph(ort: OrtModule, session: Ort.InferenceSession, hidden: number) {
  const graph: StepGraph = {
    hidden,
    async step(bytes, h, c) {
      const n = bytes.length;
      const out = await session.run({
        byte: new ort.Tensor('float32', Float32Array.from(bytes), [n]),
        h: new ort.Tensor('float32', h, [n, hidden]),
        c: new ort.Tensor('float32', c, [n, hidden]),
      });
      return {
        h: out.h_next.data as Float32Array,
        c: out.c_next.data as Float32Array,
        logits: out.logits.data as Float32Array,
      };
    },
    async logits(state) {
      if (!state.logits) throw new Error('exported step: no logits before the first byte');
      return state.logits;
    },
    release: () => session.release(),
  };
  return graph;
}

/** The studio's TS-built graphs (buildMlstmStepOnnx, buildMlstmHeadOnnx) on one EP. */
export function builtStepGraph(
  ort: OrtModule,
  step: Ort.InferenceSession,
  head: Ort.InferenceSession,
  hidden: number,
) {
  const graph: StepGraph = {
    hidden,
    async step(bytes, h, c) {
      const n = bytes.length;
      const onehot = new Float32Array(n * 256);
      bytes.forEach((b, r) => (onehot[r * 256 + b] = 1));
      const out = await step.run({
        onehot: new ort.Tensor('float32', onehot, [n, 256]),
        h: new ort.Tensor('float32', h, [n, hidden]),
        c: new ort.Tensor('float32', c, [n, hidden]),
      });
      return { h: out.h_next.data as Float32Array, c: out.c_next.data as Float32Array };
    },
    async logits(state) {
      const rows = state.h.length / hidden;
      const out = await head.run({ h: new ort.Tensor('float32', state.h, [rows, hidden]) });
      return out.logits.data as Float32Array;
    },
    release: async () => {
      await Promise.all([step.release(), head.release()]);
    },
  };
  return graph;
}

/**
 * Final cell states [N, H] of `texts`, all in one batch (`batched`) or one text
 * at a time. Texts that have ended keep their state, as MlstmModel.featurize does.
 */
export async function featurizeOnGraph(
  graph: StepGraph,
  texts: Uint8Array[],
  batched: boolean,
): Promise<Float32Array> {
  const hidden = graph.hidden;
  const out = new Float32Array(texts.length * hidden);
  const groups = batched ? [texts.map((_, k) => k)] : texts.map((_, k) => [k]);
  for (const group of groups) {
    const n = group.length;
    const steps = Math.max(...group.map((k) => texts[k].length));
    let h: Float32Array = new Float32Array(n * hidden);
    let c: Float32Array = new Float32Array(n * hidden);
    for (let t = 0; t < steps; t++) {
      const next = await graph.step(
        group.map((k) => texts[k][t] ?? 0),
        h,
        c,
      );
      const live = group.map((k) => t < texts[k].length);
      if (live.every(Boolean)) {
        h = next.h;
        c = next.c;
        continue;
      }
      // ended texts keep their state: copy only the live rows
      h = h.slice();
      c = c.slice();
      live.forEach((alive, i) => {
        if (!alive) return;
        h.set(next.h.subarray(i * hidden, (i + 1) * hidden), i * hidden);
        c.set(next.c.subarray(i * hidden, (i + 1) * hidden), i * hidden);
      });
    }
    group.forEach((k, i) => out.set(c.subarray(i * hidden, (i + 1) * hidden), k * hidden));
  }
  return out;
}

/** As MlstmModel.generate at temperature 0: read `prefix`, then `steps` argmax bytes. */
export async function generateOnGraph(
  graph: StepGraph,
  prefix: Uint8Array,
  steps: number,
): Promise<Uint8Array> {
  let state: StepState = {
    h: new Float32Array(graph.hidden),
    c: new Float32Array(graph.hidden),
  };
  for (const byte of prefix) state = await graph.step([byte], state.h, state.c);
  const out = new Uint8Array(steps);
  for (let k = 0; k < steps; k++) {
    out[k] = sampleByte(await graph.logits(state), 0, 0);
    if (k + 1 < steps) state = await graph.step([out[k]], state.h, state.c);
  }
  return out;
}
