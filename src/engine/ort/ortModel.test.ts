import { describe, expect, it } from 'vitest';
import { writeOnnxModel } from '../../io/onnxWriter';
import { OrtModel } from './ortModel';

describe('OrtModel', () => {
  it('runs an ONNX graph written by onnxWriter on wasm', async () => {
    const bytes = writeOnnxModel({
      nodes: [
        { op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] },
        { op: 'Relu', inputs: ['y'], outputs: ['z'] },
      ],
      inputs: { x: [2, 3] },
      outputs: { z: [2, 2] },
      initializers: { w: { shape: [3, 2], data: Float32Array.from([1, -1, 0, 1, 1, 0]) } },
    });
    const model = await OrtModel.create(bytes);
    const out = await model.run({
      x: { data: Float32Array.from([1, 2, 3, -4, 5, 6]), shape: [2, 3] },
    });
    // x @ w = [[4, 1], [2, 9]]... row 2: [-4+6, 4+5] = [2, 9]
    expect(Array.from(out.z.data)).toEqual([4, 1, 2, 9]);
    expect(out.z.shape).toEqual([2, 2]);
    await model.release();
  });

  it('rejects bytes that are not a model with a clear message', async () => {
    await expect(OrtModel.create(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(
      /OrtModel: could not load/,
    );
  });
});
