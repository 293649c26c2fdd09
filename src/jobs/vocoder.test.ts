import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testGpu } from '../engine/testing';
import { dirFiles, loadWaveGlowFiles, urlFiles } from '../models/waveglow/defaultModel';
import { vocoderOn } from './vocoder';

const root = join(process.cwd(), 'public', 'models', 'waveglow');
const files: Record<string, Uint8Array> = {
  'config.json': new Uint8Array(readFileSync(join(root, 'config.json'))),
  'weights.safetensors': new Uint8Array(readFileSync(join(root, 'weights.safetensors'))),
};

/** A fetch that serves `served` under /models/waveglow/ and answers the rest like Vite. */
function fakeFetch(served: Record<string, Uint8Array | number>): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const name = String(input).split('/').pop()!;
    const body = served[name];
    if (typeof body === 'number') return new Response('nope', { status: body });
    // Vite's dev server answers unknown paths with index.html
    if (!body) return new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } });
    return new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': 'application/octet-stream' },
    });
  }) as typeof fetch;
}

const gpu = await testGpu();

describe.skipIf(!gpu)('loading the default WaveGlow', () => {
  it('loads from a URL once per Gpu and reuses it', async () => {
    const fetchImpl = fakeFetch(files);
    const a = vocoderOn(gpu!, fetchImpl);
    expect(vocoderOn(gpu!, fetchImpl)).toBe(a);
    const m = await a;
    expect(m.ok).toBe(true);
    if (m.ok) expect(m.value.config.n_mel_channels).toBe(80);
  });

  it('names a missing file, an HTTP error, truncated weights and a config mismatch', async () => {
    const load = (served: Record<string, Uint8Array | number>) =>
      loadWaveGlowFiles(gpu!, urlFiles('/models/waveglow/', fakeFetch(served)));
    const missing = await load({ 'config.json': files['config.json'] });
    expect(!missing.ok && missing.error).toBe(
      'WaveGlow model: /models/waveglow/weights.safetensors is missing (the server has no such file)',
    );
    const denied = await load({ ...files, 'config.json': 403 });
    expect(!denied.ok && denied.error).toContain('config.json could not be fetched (HTTP 403)');
    const cut = await load({
      ...files,
      'weights.safetensors': files['weights.safetensors'].slice(0, 100_000),
    });
    expect(!cut.ok && cut.error).toMatch(
      /^WaveGlow weights: safetensors: .*truncated.*\(model files in \/models\/waveglow\/\)$/,
    );
    const config = JSON.parse(new TextDecoder().decode(files['config.json']));
    const wider = new TextEncoder().encode(
      JSON.stringify({ ...config, n_flows: config.n_flows + 1 }),
    );
    const mismatch = await load({ ...files, 'config.json': wider });
    expect(!mismatch.ok && mismatch.error).toContain(`WN.${config.n_flows}.`);
  });

  it('reads a folder in Node and says which file is absent', async () => {
    const { readFile } = await import('node:fs/promises');
    const ok = await loadWaveGlowFiles(
      gpu!,
      dirFiles(root, (p) => readFile(p)),
    );
    expect(ok.ok).toBe(true);
    if (ok.ok) ok.value.dispose();
    const none = await loadWaveGlowFiles(
      gpu!,
      dirFiles('/nonexistent/wg', (p) => readFile(p)),
    );
    expect(!none.ok && none.error).toBe(
      'WaveGlow model: cannot read /nonexistent/wg/config.json (no such file)',
    );
  });
});
