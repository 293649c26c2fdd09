// Where the default WaveGlow comes from: config.json + weights.safetensors
// under a URL in the page (Vite serves public/models/waveglow/ at
// /models/waveglow/) or in a folder in Node. The file reader is passed in,
// so this module imports nothing from Node and bundles for the page.
import { fail, ok, type Result } from '../../engine/assert';
import type { Gpu } from '../../engine/gpu';
import { WaveGlow } from './waveglow';

/** The URL the page loads the default model from (public/models/waveglow/). */
export const DEFAULT_WAVEGLOW_URL = '/models/waveglow/';

/** Folder of the default model, relative to the project root (for Node). */
export const DEFAULT_WAVEGLOW_DIR = 'public/models/waveglow';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/** The two files of a model, wherever they live. */
export interface ModelFiles {
  /** where the files are, for messages (a URL or a folder) */
  where: string;
  /** the file's bytes, or a message that says why it could not be read */
  read(name: string): Promise<Result<Uint8Array>>;
}

function join(base: string, name: string): string {
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Files under `baseUrl`, fetched. NOTE: Vite's dev server answers a missing
 * file with its index.html (status 200), so an HTML answer counts as missing.
 */
export function urlFiles(baseUrl: string, fetchImpl: typeof fetch = fetch): ModelFiles {
  return {
    where: baseUrl,
    async read(name) {
      const url = join(baseUrl, name);
      let response: Response;
      try {
        response = await fetchImpl(url);
      } catch (err) {
        return fail(`WaveGlow model: ${url} could not be fetched (${messageOf(err)})`);
      }
      const type = response.headers.get('content-type') ?? '';
      if (response.status === 404 || (response.ok && type.includes('text/html'))) {
        return fail(`WaveGlow model: ${url} is missing (the server has no such file)`);
      }
      if (!response.ok) {
        return fail(`WaveGlow model: ${url} could not be fetched (HTTP ${response.status})`);
      }
      try {
        return ok(new Uint8Array(await response.arrayBuffer()));
      } catch (err) {
        return fail(`WaveGlow model: ${url} broke off while downloading (${messageOf(err)})`);
      }
    },
  };
}

/** Files in folder `dir`, read with `readFile` (node:fs/promises' readFile in Node). */
export function dirFiles(dir: string, readFile: (path: string) => Promise<Uint8Array>): ModelFiles {
  return {
    where: dir,
    async read(name) {
      const path = join(dir, name);
      try {
        return ok(new Uint8Array(await readFile(path)));
      } catch (err) {
        const code = (err as { code?: string }).code;
        const why = code === 'ENOENT' ? 'no such file' : (code ?? messageOf(err));
        return fail(`WaveGlow model: cannot read ${path} (${why})`);
      }
    },
  };
}

/**
 * Reads config.json and weights.safetensors from `files` and builds the
 * model on `gpu`. Every failure (missing file, truncated weights, config and
 * weights that do not match) comes back as one message naming the file.
 */
export async function loadWaveGlowFiles(gpu: Gpu, files: ModelFiles): Promise<Result<WaveGlow>> {
  const [config, weights] = await Promise.all([files.read(CONFIG_FILE), files.read(WEIGHTS_FILE)]);
  if (!config.ok) return config;
  if (!weights.ok) return weights;
  const text = new TextDecoder().decode(config.value);
  const model = WaveGlow.load(gpu, text, weights.value);
  if (!model.ok) return fail(`${model.error} (model files in ${files.where})`);
  return model;
}
