#!/usr/bin/env node
// The `semilab` command. Bundles src/cli/main.ts (TypeScript, with WGSL
// imported as text) with esbuild on each start, then runs it on Node + Dawn.
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'node_modules', '.cache', 'semilab', 'cli.mjs');
mkdirSync(dirname(outfile), { recursive: true });

// resolves Vite's `?raw` imports (shaders) to their file text
const rawText = {
  name: 'raw-text',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: join(args.resolveDir, args.path.replace(/\?raw$/, '')),
      namespace: 'raw-text',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  plugins: [rawText],
  logLevel: 'error',
  sourcemap: 'inline',
});
const { main } = await import(pathToFileURL(outfile).href);
const code = await main(process.argv.slice(2));
// NOTE: Dawn keeps the event loop alive; leave explicitly.
process.exit(code);
