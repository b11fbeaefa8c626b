import { expect, test, type Page } from '@playwright/test';
import { advance, generous, open, waitForLeader, watch, type RaftlabWindow } from './support';

// The built app carries a Content-Security-Policy (scripts/csp.ts): no eval, no inline
// scripts, workers only from the app or blob:, no connection beyond the app's origin.
// A whole session under it provokes no violation; an eval does, which shows that the
// listener counting violations works.

/** Parses a policy into its directives. */
function directives(policy: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name !== undefined && name !== '') m.set(name, values);
  }
  return m;
}

/** Collects every securitypolicyviolation of the page, from its first script on. */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.cspViolations.push(`${e.effectiveDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
}

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return d.suggestedFilename();
}

test.describe('content security policy', () => {
  test('the served app declares a strict policy', async ({ page }) => {
    await open(page, 'nodes=3');
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).not.toBeNull();
    const d = directives(policy!);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    for (const [name, values] of d) {
      expect(values, name).not.toContain("'unsafe-eval'");
      expect(values, name).not.toContain("'unsafe-inline'");
    }
    // The policy is the page's first element that loads anything.
    const first = await page.evaluate(() => document.head.firstElementChild?.nextElementSibling?.outerHTML ?? '');
    expect(first).toContain('Content-Security-Policy');
  });

  test('a full session provokes no violation', async ({ page, baseURL }) => {
    test.setTimeout(90_000);
    const log = watch(page, { origin: new URL(baseURL!).origin });
    await recordViolations(page);
    await open(page, 'nodes=3&seed=4');

    // Play for a moment, then drive time through the façade.
    await page.getByTestId('play').click();
    await expect(page.getByTestId('pause')).toBeVisible();
    await page.waitForTimeout(300);
    await page.getByTestId('pause').click();
    const leader = await waitForLeader(page);

    // A put from the client panel.
    await page.getByTestId('tab-client').click();
    await page.getByTestId('put-key').fill('k');
    await page.getByTestId('put-value').fill('v');
    await page.getByTestId('put-submit').click();
    await advance(page, 5);

    // Crash and restart a follower through its menu.
    const follower = leader === 1 ? 2 : 1;
    await page.getByTestId(`node-${follower}`).click();
    await page.getByTestId(`crash-${follower}`).click();
    await expect(page.getByTestId(`node-${follower}`)).toHaveAttribute('data-alive', 'false', generous);
    await advance(page, 3);
    await page.getByTestId(`node-${follower}`).click();
    await page.getByTestId(`restart-${follower}`).click();
    await expect(page.getByTestId(`node-${follower}`)).toHaveAttribute('data-alive', 'true', generous);

    // Partition (isolates the leader by default), then heal.
    await page.getByTestId('partition').click();
    await page.getByTestId('partition-apply').click();
    await expect(page.getByTestId('partition-group-1')).toBeAttached(generous);
    await advance(page, 10);
    await page.getByTestId('heal').click();
    await expect(page.getByTestId('partition-group-1')).toHaveCount(0, generous);
    await advance(page, 10);

    // Seek back one step and forward again.
    const step = await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.currentStep);
    await page.getByTestId('timeline-back').click();
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-step', String(step - 1), generous);
    await page.getByTestId('timeline-latest').click();
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-step', String(step), generous);

    // Every picture, in both formats, and the run itself.
    for (const view of ['cluster', 'spacetime', 'timeline'])
      for (const format of ['svg', 'png']) {
        const name = await download(page, async () => {
          await page.getByTestId('export-picture').click();
          await page.getByTestId(`export-picture-${view}-${format}`).click();
        });
        expect(name).toBe(`raftlab-${view}-seed4-step${step}.${format}`);
      }
    expect(
      await download(page, async () => {
        await page.getByTestId('file-menu').click();
        await page.getByTestId('export-run').click();
      }),
    ).toMatch(/\.json$/);

    expect(await violations(page)).toEqual([]);
    expect(log.errors).toEqual([]);
    expect(log.foreign).toEqual([]);

    // The listener does see a violation: an inline script added to the page is refused.
    // (Code run by page.evaluate itself is exempt from the policy, so it adds a script.)
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations(page)).toEqual([expect.stringMatching(/^script-src-elem: inline/)]);
  });
});
