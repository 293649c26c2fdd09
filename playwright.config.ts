import { defineConfig } from '@playwright/test';

// E2E_PORT lets several checkouts (or sessions) run e2e side by side; the
// Vite lock refuses a second server of one project unless told to bypass it.
const PORT = Number(process.env.E2E_PORT ?? 5174);
const BYPASS_LOCK = process.env.E2E_PORT ? ' --bypass-lock' : '';

// Debian's chromium, never a downloaded browser; WebGPU runs on SwiftShader
// without a GPU (shared/docs/ENVIRONMENT.md).
export default defineConfig({
  testDir: 'e2e/tests',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.E2E_REPORT ?? 'reports/e2e.json' }],
  ],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--enable-unsafe-webgpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx vite --port ${PORT} --strictPort${BYPASS_LOCK}`,
    url: `http://127.0.0.1:${PORT}`,
    // a server left on this port may belong to another checkout: never reuse it
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
