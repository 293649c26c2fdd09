import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function semilab(...args: string[]) {
  return spawnSync(process.execPath, ['bin/semilab.mjs', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('semilab command', () => {
  it('lists its commands and exits 0 on help', () => {
    const r = semilab('help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/usage: semilab <command>/);
    expect(r.stdout).toMatch(/\binfo\b/);
    expect(r.stdout).toMatch(/\bbench\b/);
  });

  it('rejects an unknown command with exit code 2', () => {
    const r = semilab('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('reports the adapter it runs on', () => {
    const r = semilab('info');
    if (r.status !== 0) {
      // no adapter on this machine: the message must say so
      expect(r.stderr).toMatch(/adapter|WebGPU/);
      return;
    }
    const info = JSON.parse(r.stdout);
    expect(typeof info.profile.isSoftware).toBe('boolean');
    expect(['register', 'shared']).toContain(info.profile.matmul.variant);
  });
});
