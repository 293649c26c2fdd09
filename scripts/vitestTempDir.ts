// Vitest global setup: every test file's temporary folders (CLI outputs, .npy files,
// exported weights) go under one folder for the run, removed at the end, so the suite
// leaves nothing in /tmp. Workers are forked after this runs and inherit TMPDIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'semilab-vitest-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(folder, { recursive: true, force: true });
  };
}
