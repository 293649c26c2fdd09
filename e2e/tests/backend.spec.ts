import { expect, test } from '../fixtures';

test('the header shows the detected WebGPU adapter and that it is a software one', async ({
  studio,
}) => {
  await studio.goto();
  const status = await studio.waitForBackend();
  // this machine has no GPU: Chromium's WebGPU runs on SwiftShader
  expect(status.state).toBe('ready');
  expect(status.adapter?.toLowerCase()).toContain('swiftshader');
  expect(status.software).toBe(true);
  await expect(studio.backendState).toHaveAttribute('data-state', 'ready');
  await expect(studio.byId('header.backend.adapter')).toContainText(/swiftshader/i);
  const software = studio.byId('header.backend.software');
  await expect(software).toContainText('inference is slow');
  await software.locator('summary').click();
  await expect(software).toContainText('CPU implementation of WebGPU');

  // the device really computes: a matmul on the page's device matches the CPU
  const check = await studio.page.evaluate(() => window.__semilab!.gpuSelfTest());
  expect(check.ok, `max error ${check.maxError}`).toBe(true);
});

test('a lost device shows as lost, then recovers to ready without a reload', async ({ studio }) => {
  await studio.goto();
  await studio.waitForBackend();
  await studio.page.evaluate(() => {
    (window as unknown as { __marker: string }).__marker = 'same page';
  });
  const states = await studio.recordBackendStates();

  await studio.page.evaluate(() => window.__semilab!.simulateDeviceLoss());

  await expect(studio.byId('header.backend.message')).toContainText(
    'Recovered after a lost GPU device',
  );
  await expect(studio.backendState).toHaveAttribute('data-state', 'ready');
  expect(await states()).toEqual(['ready', 'lost', 'ready']);
  // the recovery notice replaced the warning about the loss
  await expect(studio.notices('info')).toContainText('Recovered after a lost GPU device');
  await expect(studio.notices('warning')).toHaveCount(0);
  // no reload happened, and the new device computes correctly
  const marker = await studio.page.evaluate(
    () => (window as unknown as { __marker?: string }).__marker,
  );
  expect(marker).toBe('same page');
  const check = await studio.page.evaluate(() => window.__semilab!.gpuSelfTest());
  expect(check.ok, `max error ${check.maxError}`).toBe(true);
  expect(studio.pageErrors).toEqual([]);
});
