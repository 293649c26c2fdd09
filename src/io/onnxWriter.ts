// Writes small ONNX models (protobuf wire format, by hand: a dozen field
// numbers from onnx.proto) so benchmarks and tests can run one op in
// onnxruntime-web without a Python export step. Pure functions, no GPU.

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

class ProtoWriter {
  private parts: Uint8Array[] = [];

  private varint(value: number): void {
    const bytes: number[] = [];
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n; // two's complement, as protobuf encodes negative int64
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v > 0n);
    this.parts.push(Uint8Array.from(bytes));
  }

  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number): this {
    this.key(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, WIRE_BYTES);
    this.varint(value.length);
    this.parts.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const total = this.parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

const FLOAT = 1; // TensorProto.DataType.FLOAT
const INT64 = 7; // TensorProto.DataType.INT64: shapes, axes and indices of Reshape, Slice
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** a fixed size, or the name of a dynamic axis (dim_param) */
export type Dim = number | string;

export type OnnxAttribute = number | number[] | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  /** graph inputs fed at run time: name -> shape (a string names a dynamic axis) */
  inputs: Record<string, Dim[]>;
  /** graph outputs: name -> shape */
  outputs: Record<string, Dim[]>;
  /** constant weights stored in the model (a BigInt64Array makes an int64 tensor) */
  initializers?: Record<string, { shape: number[]; data: Float32Array | BigInt64Array }>;
  opset?: number;
}

function valueInfo(w: ProtoWriter, name: string, shape: Dim[]): void {
  w.string(1, name).message(2, (type) =>
    type.message(1, (tensorType) =>
      tensorType.int(1, FLOAT).message(2, (shapeProto) => {
        for (const d of shape) {
          shapeProto.message(1, (dim) =>
            typeof d === 'number' ? dim.int(1, d) : dim.string(2, d),
          );
        }
      }),
    ),
  );
}

/** Serialises a float32 graph as an ONNX ModelProto. */
export function writeOnnxModel(graph: OnnxGraph): Uint8Array {
  const model = new ProtoWriter();
  model.int(1, 8); // ir_version
  model.string(2, 'semilab');
  model.message(8, (opset) => opset.string(1, '').int(2, graph.opset ?? 17));
  model.message(7, (g) => {
    graph.nodes.forEach((node, i) =>
      g.message(1, (n) => {
        node.inputs.forEach((x) => n.string(1, x));
        node.outputs.forEach((y) => n.string(2, y));
        n.string(3, `${node.op}_${i}`).string(4, node.op);
        for (const [name, value] of Object.entries(node.attributes ?? {})) {
          n.message(5, (a) => {
            a.string(1, name);
            if (Array.isArray(value)) {
              value.forEach((v) => a.int(8, v));
              a.int(20, ATTR_INTS);
            } else if (typeof value === 'number') {
              a.int(3, value).int(20, ATTR_INT);
            } else {
              a.float(2, value.float).int(20, ATTR_FLOAT);
            }
          });
        }
      }),
    );
    g.string(2, 'graph');
    for (const [name, t] of Object.entries(graph.initializers ?? {})) {
      g.message(5, (tp) => {
        t.shape.forEach((d) => tp.int(1, d));
        tp.int(2, t.data instanceof BigInt64Array ? INT64 : FLOAT).string(8, name);
        tp.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      });
    }
    for (const [name, shape] of Object.entries(graph.inputs))
      g.message(11, (v) => valueInfo(v, name, shape));
    for (const [name, shape] of Object.entries(graph.outputs))
      g.message(12, (v) => valueInfo(v, name, shape));
  });
  return model.finish();
}
