import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { advance, expectCleanRun, open, waitForLeader, type RaftlabWindow } from './support';

// Pictures: the Picture menu exports a view as a self-contained SVG (styles inlined,
// caption and legend drawn in it) and as a PNG at twice the view's size.

/** Picks `export-picture-<item>` from the menu and returns the downloaded file. */
async function exportVia(page: Page, item: string): Promise<{ name: string; bytes: Buffer }> {
  await page.getByTestId('export-picture').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(`export-picture-${item}`).click(),
  ]);
  const bytes = await readFile((await download.path())!);
  await download.saveAs(`test-results/screenshots/${download.suggestedFilename()}`);
  return { name: download.suggestedFilename(), bytes };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(b: Buffer): { width: number; height: number } {
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test.describe('picture export', () => {
  expectCleanRun();

  test('the cluster view as SVG and PNG: every node drawn, a caption with the step, twice the size', async ({
    page,
  }) => {
    await open(page, 'nodes=5&seed=3');
    const leader = await waitForLeader(page);
    await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.put('k', 'v'));
    await advance(page, 1);
    const { step, ids } = await page.evaluate(() => {
      const r = (window as unknown as RaftlabWindow).raftlab!;
      return { step: r.currentStep, ids: r.nodeIds() };
    });
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-step', String(step));
    const view = await page.locator('[data-testid="cluster-view"] svg.cluster-svg').boundingBox();

    const svg = await exportVia(page, 'cluster-svg');
    expect(svg.name).toBe(`raftlab-cluster-seed3-step${step}.svg`);
    const text = svg.bytes.toString('utf8');
    // Self-contained: no stylesheet, no CSS variable, nothing fetched.
    expect(text).not.toMatch(/<style|var\(--|@font-face|@import|href=|url\((?!#)/);

    const parsed = await page.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      const root = doc.documentElement;
      const view = root.querySelector(':scope > svg');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        width: Number(root.getAttribute('width')),
        height: Number(root.getAttribute('height')),
        viewWidth: Number(view?.getAttribute('width')),
        viewHeight: Number(view?.getAttribute('height')),
        nodes: [...(view?.querySelectorAll('g.node') ?? [])].map((g) => ({
          id: g.querySelector('.node-id')?.textContent ?? '',
          fill: g.querySelector('.node-body')?.getAttribute('fill') ?? '',
          leader: g.classList.contains('role-leader'),
        })),
        caption: root.querySelector('.export-caption')?.textContent ?? '',
        legend: [...root.querySelectorAll('.export-legend text')].map((e) => e.textContent),
      };
    }, text);
    expect(parsed.error).toBeNull();
    expect(parsed.nodes.map((n) => Number(n.id)).sort()).toEqual(ids);
    expect(parsed.nodes.every((n) => n.fill.startsWith('rgb'))).toBe(true);
    expect(parsed.nodes.filter((n) => n.leader).map((n) => Number(n.id))).toEqual([leader]);
    expect(parsed.caption).toContain(`Cluster view · step ${step} · t=`);
    expect(parsed.caption).toContain('seed 3');
    expect(parsed.legend).toEqual(expect.arrayContaining(['Leader', 'Follower']));
    expect(parsed.legend.some((l) => /^term \d+$/.test(l ?? ''))).toBe(true);
    expect(parsed.viewWidth).toBe(Math.round(view!.width));
    expect(parsed.viewHeight).toBe(Math.round(view!.height));
    expect(parsed.width).toBe(parsed.viewWidth);
    expect(parsed.height).toBeGreaterThan(parsed.viewHeight);

    const png = await exportVia(page, 'cluster-png');
    expect(png.name).toBe(`raftlab-cluster-seed3-step${step}.png`);
    expect(pngSize(png.bytes)).toEqual({ width: 2 * parsed.width, height: 2 * parsed.height });

    // The SVG alone, in a page without the app's stylesheet, still draws the leader in
    // the leader's colour: its look does not depend on the app's CSS.
    const leaderFill = parsed.nodes.find((n) => n.leader)!.fill;
    const blank = await page.context().newPage();
    await blank.setContent(`<body style="margin:0">${text.replace(/^<\?xml[^>]*>/, '')}</body>`);
    const centre = await blank.evaluate(() => {
      const g = document.querySelector('svg > svg g.role-leader .node-body')!;
      const r = g.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    });
    const shot = await blank.screenshot({ clip: { x: centre.x + 12, y: centre.y + 12, width: 1, height: 1 } });
    const pixel = await blank.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = c.height = 1;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
      return `rgb(${r}, ${g}, ${b})`;
    }, shot.toString('base64'));
    expect(pixel).toBe(leaderFill);
    await blank.close();
  });

  test('the space-time diagram and the timeline export too, from the keyboard', async ({ page }) => {
    await open(page, 'nodes=3&seed=5');
    await waitForLeader(page);
    const step = await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.currentStep);
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-step', String(step));

    // Keyboard: focus the Picture button, open it with Enter, Tab to the space-time SVG item.
    await page.getByTestId('export-picture').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('export-picture-cluster-svg')).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('export-picture-spacetime-svg')).toBeFocused();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    await expect(page.getByTestId('export-picture')).toBeFocused();
    expect(download.suggestedFilename()).toBe(`raftlab-spacetime-seed5-step${step}.svg`);
    await download.saveAs(`test-results/screenshots/${download.suggestedFilename()}`);
    // Exporting the space-time diagram opened its tab.
    await expect(page.getByTestId('tab-spacetime')).toHaveAttribute('aria-selected', 'true');
    const st = await page.evaluate(
      async (t) => {
        const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror') !== null,
          arrows: doc.querySelectorAll('.st-msg').length,
          lanes: doc.querySelectorAll('.st-lane').length,
          caption: doc.querySelector('.export-caption')?.textContent ?? '',
        };
      },
      (await readFile((await download.path())!)).toString('utf8'),
    );
    expect(st.error).toBe(false);
    expect(st.lanes).toBe(3);
    expect(st.arrows).toBeGreaterThan(0);
    expect(st.caption).toContain(`Space-time diagram · step ${step}`);

    // Escape closes the list without exporting; so does leaving it.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('export-picture-cluster-svg')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('export-picture-cluster-svg')).toHaveCount(0);
    await expect(page.getByTestId('export-picture')).toBeFocused();
    await page.getByTestId('export-picture').click();
    await expect(page.getByTestId('export-picture-cluster-svg')).toBeVisible();
    await page.getByTestId('cluster-view').click({ position: { x: 5, y: 5 } });
    await expect(page.getByTestId('export-picture-cluster-svg')).toHaveCount(0);

    const tl = await exportVia(page, 'timeline-png');
    const box = await page.getByTestId('timeline').boundingBox();
    const size = pngSize(tl.bytes);
    expect(size.width).toBe(2 * Math.round(box!.width));
    expect(size.height).toBeGreaterThan(2 * Math.round(box!.height));

    // The log matrix (HTML, virtualised) exports as an SVG of the cells in view, each
    // with the term and committed marker the matrix shows; its tab opens first.
    const lm = (await exportVia(page, 'logs-svg')).bytes.toString('utf8');
    await expect(page.getByTestId('tab-logs')).toHaveAttribute('aria-selected', 'true');
    // The cells in the scroller's box (the DOM also holds a few columns either side).
    const cells = await page.evaluate(() => {
      const box = document.querySelector('[data-testid="log-matrix"] .lm-scroller')!.getBoundingClientRect();
      return [...document.querySelectorAll<HTMLElement>('[data-testid="log-matrix"] .lm-cell')]
        .filter((c) => c.getBoundingClientRect().right >= box.left && c.getBoundingClientRect().left <= box.right)
        .map((c) => ({
          node: c.parentElement!.dataset.node!,
          index: c.dataset.index!,
          term: c.textContent,
          committed: c.dataset.committed!,
        }));
    });
    const pic = await page.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror') !== null,
        caption: doc.querySelector('.export-caption')?.textContent ?? '',
        cells: [...doc.querySelectorAll('.lm-picture-cell')].map((g) => {
          const [, node, index] = /^picture-cell-(\d+)-(\d+)$/.exec(g.getAttribute('data-testid') ?? '') ?? [];
          return {
            node,
            index,
            term: g.querySelector('text')?.textContent,
            committed: String(g.classList.contains('is-committed')),
          };
        }),
      };
    }, lm);
    expect(pic.error).toBe(false);
    expect(pic.caption).toContain(`Log matrix · step ${step}`);
    expect(pic.cells.length).toBeGreaterThan(0);
    expect(pic.cells).toEqual(cells);
  });
});
