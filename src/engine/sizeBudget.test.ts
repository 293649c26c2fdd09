import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The engine stays readable: no file past 600 lines (split it instead).
const LIMIT = 600;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('engine size budget', () => {
  it(`keeps every engine and shader file under ${LIMIT} lines`, () => {
    const tooLong = [...files('src/engine'), ...files('shaders')]
      .filter((f) => /\.(ts|wgsl)$/.test(f) && !f.endsWith('.test.ts'))
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > LIMIT);
    expect(tooLong).toEqual([]);
  });
});
