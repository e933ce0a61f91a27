import { describe, expect, it } from 'vitest';
import { sharedPage, SKIP, trainRun } from './web-page.js';

/** A phone (the issue's 390×844), a tablet and a wide screen. */
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 820, height: 1180 },
  { width: 1600, height: 1000 },
] as const;

/** What must be on screen, not cut off: the controls, the charts, the samples, the runs. */
const PARTS = ['#train', '#stop', '#status', '#loss', '#loss-legend', '#heatmap', '#samples', '#sample', '#inspect', '.runs table', '#data-source'];

describe.skipIf(SKIP !== undefined)(`the demo page in Chromium: layout from a phone to a wide screen${SKIP === undefined ? '' : ` (skipped: ${SKIP})`}`, () => {
  const shared = sharedPage();

  for (const viewport of VIEWPORTS) {
    it(`fits ${viewport.width}×${viewport.height} with no horizontal scrolling after a run, charts drawn at their width`, async () => {
      const page = await shared.session.open(viewport);
      const run = await trainRun(page, { iterations: '30', hidden: '16' });
      expect(run.status).toBe('done');
      await page.waitForFunction(() => !(document.getElementById('heatmap') as HTMLCanvasElement).hidden);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, 'page width').toBeLessThanOrEqual(viewport.width);
      for (const part of PARTS) {
        const box = await page.locator(part).boundingBox();
        expect(box, `${part} is shown`).not.toBeNull();
        expect(box?.x ?? -1, `${part} left edge`).toBeGreaterThanOrEqual(0);
        expect((box?.x ?? 0) + (box?.width ?? Number.POSITIVE_INFINITY), `${part} right edge`).toBeLessThanOrEqual(viewport.width + 0.5);
      }
      // Each canvas is drawn at the width it is shown at (nothing stretched or cut off).
      for (const id of ['loss', 'heatmap']) {
        const { drawn, shown } = await page.evaluate((canvasId) => {
          const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
          const borders = canvas.offsetWidth - canvas.clientWidth;
          return { drawn: canvas.width / window.devicePixelRatio, shown: canvas.getBoundingClientRect().width - borders };
        }, id);
        expect(Math.abs(drawn - shown), `#${id}: drawn ${drawn}, shown ${shown} px wide`).toBeLessThanOrEqual(1);
      }
      await page.close();
    }, 180_000);
  }
});
