// Node side of the model benches: the cache folder their inputs and the
// exported ONNX live in, and the PyTorch peer (bench/torch_peer.py) run
// under /usr/bin/python3 with 2 threads; it also exports the ONNX graphs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Under node_modules (never committed) but inside the project root, so Vite's /@fs/ serves it. */
export function benchCacheDir(root: string, task: string): string {
  const dir = join(root, 'node_modules', '.cache', 'semilab', 'bench', task);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export type PeerResult =
  { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

export const PYTHON = process.env.SEMILAB_PYTHON ?? '/usr/bin/python3';

/**
 * Runs `torch_peer.py <task>` (PyTorch timing + ONNX export into `dir`) and
 * returns its JSON, or why it could not run (no python, no torch, a failure).
 * Writes the outcome to `dir`/torch.json, where the bench page reads
 * PyTorch's time, outputs and the exported ONNX's path from.
 */
export function runTorchPeer(
  root: string,
  task: 'vocoder' | 'mlstm',
  modelDir: string,
  dir: string,
  reps: number,
  timeoutMs = 15 * 60_000,
): PeerResult {
  rmSync(join(dir, 'torch.json'), { force: true });
  const result = ((): PeerResult => {
    if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} not found` };
    const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      return {
        ok: false,
        reason: `PyTorch is not installed (${PYTHON}: import torch, numpy failed)`,
      };
    }
    const args = [join(root, 'bench', 'torch_peer.py'), task, '--model', modelDir, '--dir', dir];
    const run = spawnSync(PYTHON, [...args, '--reps', String(reps), '--threads', '2'], {
      cwd: root,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 16 << 20,
    });
    if (run.error) return { ok: false, reason: `torch_peer.py: ${run.error.message}` };
    const lines = run.stdout.trim().split('\n');
    if (run.status !== 0) {
      const why = run.stderr.trim().split('\n').slice(-3).join(' / ');
      return { ok: false, reason: `torch_peer.py exited ${run.status}: ${why}` };
    }
    try {
      return { ok: true, value: JSON.parse(lines[lines.length - 1]) };
    } catch {
      return { ok: false, reason: `torch_peer.py printed no JSON: ${lines.at(-1)}` };
    }
  })();
  const record = result.ok ? result.value : { error: result.reason };
  writeFileSync(join(dir, 'torch.json'), `${JSON.stringify(record)}\n`);
  return result;
}
