import { expect, test, TAB_IDS } from '../fixtures';

test('the studio loads with four tabs, Speech selected', async ({ studio }) => {
  await studio.goto();
  await expect(studio.page).toHaveTitle('Semilab');
  await expect(studio.page.getByRole('tab')).toHaveText([
    /^Segment/,
    /^Synthesize/,
    /^Sentiment/,
    /^Speech/,
  ]);
  await expect(studio.tab('speech')).toHaveAttribute('aria-selected', 'true');
  await expect(studio.tabPanel('speech')).toBeVisible();
  await expect(studio.byId('panel.speech')).toBeVisible();
  for (const id of TAB_IDS.filter((t) => t !== 'speech')) {
    await expect(studio.tab(id)).toHaveAttribute('aria-selected', 'false');
  }
  await expect(studio.byId('jobs.empty')).toBeVisible();
  await expect(studio.notices()).toHaveCount(0);
  expect(studio.pageErrors).toEqual([]);
});

test('the unbuilt panels say what they will do and offer no controls', async ({ studio }) => {
  await studio.goto();
  for (const id of ['segment', 'synthesize'] as const) {
    await studio.openTab(id);
    const panel = studio.byId(`panel.${id}`);
    await expect(panel).toBeVisible();
    await expect(studio.byId(`panel.${id}.status`)).toHaveText('not built yet');
    await expect(panel.getByRole('listitem').first()).toBeVisible();
    await expect(panel.locator('button, input, select, textarea')).toHaveCount(0);
    // the previously open panel is hidden, not shown alongside
    await expect(studio.tabPanel('speech')).toBeHidden();
  }
  await studio.openTab('speech');
  await expect(studio.byId('panel.speech')).toBeVisible();
  await expect(studio.tabPanel('segment')).toBeHidden();
});

test('arrow keys move between tabs', async ({ studio }) => {
  await studio.goto();
  await studio.tab('speech').focus();
  await studio.page.keyboard.press('ArrowRight');
  await expect(studio.tab('segment')).toHaveAttribute('aria-selected', 'true');
  await expect(studio.tab('segment')).toBeFocused();
  await studio.page.keyboard.press('ArrowLeft');
  await expect(studio.tab('speech')).toHaveAttribute('aria-selected', 'true');
});
