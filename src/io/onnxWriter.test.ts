import { describe, expect, it } from 'vitest';
import { OrtModel } from '../engine/ort/ortModel';
import { writeOnnxModel } from './onnxWriter';

describe('writeOnnxModel', () => {
  it('stores int64 initializers for Reshape and Slice, and INTS attributes', async () => {
    const i64 = (...v: number[]) => ({ shape: [v.length], data: BigInt64Array.from(v, BigInt) });
    const bytes = writeOnnxModel({
      nodes: [
        // [2, 6] -> [2, 3, 2] -> columns 1..2 of axis 1 -> [2, 2, 2] -> swap the last two axes
        { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['r'] },
        { op: 'Slice', inputs: ['r', 'starts', 'ends', 'axes'], outputs: ['s'] },
        { op: 'Transpose', inputs: ['s'], outputs: ['y'], attributes: { perm: [0, 2, 1] } },
      ],
      inputs: { x: [2, 6] },
      outputs: { y: [2, 2, 2] },
      initializers: {
        shape: i64(2, 3, -1),
        starts: i64(1),
        ends: i64(3),
        axes: i64(1),
      },
    });
    const model = await OrtModel.create(bytes);
    const x = Float32Array.from({ length: 12 }, (_, i) => i);
    const out = await model.run({ x: { data: x, shape: [2, 6] } });
    expect(out.y.shape).toEqual([2, 2, 2]);
    // row 0: [[0,1],[2,3],[4,5]] -> rows 1..2 [[2,3],[4,5]] -> transposed [[2,4],[3,5]]
    expect(Array.from(out.y.data)).toEqual([2, 4, 3, 5, 8, 10, 9, 11]);
    await model.release();
  });
});
