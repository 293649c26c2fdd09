// Opens a page of this project in headless Chromium with WebGPU, served by a
// Vite dev server started here: how CLI commands run browser-only paths
// (onnxruntime-web's WebGPU EP, the page's own adapter).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function projectRoot(): string {
  // bundled to node_modules/.cache/semilab/cli.mjs, or run from src/cli
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('semilab')) dir = dirname(dir);
  return dir;
}

export interface PageSession {
  evaluate<T>(expression: string): Promise<T>;
  waitFor(expression: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Serves the project with Vite on a free port and opens `path` in Chromium. */
export async function openProjectPage(path: string): Promise<PageSession> {
  const root = projectRoot();
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath} (install Debian's chromium or set CHROMIUM_PATH)`,
    );
  }
  const { createServer } = await import('vite');
  const server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'error',
    // no HMR: an edit to any imported file would reload the page and restart a long bench
    server: { port: 0, host: '127.0.0.1', hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') console.error(`[page] ${msg.text()}`);
  });
  await page.goto(`http://127.0.0.1:${port}${path}`);
  return {
    evaluate: (expression) => page.evaluate(expression),
    waitFor: async (expression, timeout) => {
      await page.waitForFunction(expression, undefined, { timeout, polling: 1000 });
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
