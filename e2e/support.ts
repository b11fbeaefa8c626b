import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';

// Helpers shared by the end-to-end specs. The app runs with the play loop off
// (?autoplay=0) and virtual time is driven through the Cluster façade the app exposes
// as window.raftlab, so every run is deterministic whatever the machine's speed.

/** The parts of window.raftlab (the Cluster façade) that the specs call. */
export interface RaftlabWindow {
  raftlab?: {
    advance(ticks: number): Promise<void>;
    put(key: string, value: string, opts?: { client?: string }): Promise<unknown>;
    get(key: string, opts?: { linearizable?: boolean; client?: string }): Promise<unknown>;
    /** The current leader's id, 0 when there is none. */
    leader(): number;
    nodeIds(): number[];
    inFlight(): { id: number; from: number; to: number }[];
    traceHash(): string;
    readonly history: { kind: string; node: number }[];
    readonly currentStep: number;
    readonly time: number;
    readonly mode: string;
  };
}

/** For waits on things a slow machine may take a while to show. */
export const generous = { timeout: 20_000 };

export interface WatchOptions {
  /** Record requests that leave this origin in `foreign`; without it no request is watched. */
  origin?: string;
  /** Watch the requests of the whole browser context instead of the page alone. */
  context?: BrowserContext;
  /** Count failed requests as errors too. */
  failedRequests?: boolean;
}

/**
 * Collects console errors and uncaught page errors in `errors`, and, given an origin,
 * every request seen in `requests` and those leaving the origin (not data: or blob:)
 * in `foreign`.
 */
export function watch(page: Page, opts: WatchOptions = {}) {
  const errors: string[] = [];
  const requests: string[] = [];
  const foreign: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  if (opts.failedRequests)
    page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  const { origin } = opts;
  if (origin !== undefined) {
    (opts.context ?? page).on('request', (req) => {
      const url = req.url();
      requests.push(url);
      if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin) foreign.push(url);
    });
  }
  return { errors, requests, foreign };
}

/**
 * Call inside a test.describe: watches each test's page from its start, and after the
 * test expects no console or page errors and no request off the app's origin.
 */
export function expectCleanRun(): void {
  let log: ReturnType<typeof watch>;

  test.beforeEach(async ({ page, baseURL }) => {
    log = watch(page, { origin: new URL(baseURL!).origin });
  });

  test.afterEach(async () => {
    expect(log.errors).toEqual([]);
    expect(log.foreign).toEqual([]);
  });
}

/** Loads the app with the play loop off and waits for the façade and the first node. */
export async function open(page: Page, query: string): Promise<void> {
  await page.goto(`/?autoplay=0&${query}`);
  await page.waitForFunction(() => (window as unknown as RaftlabWindow).raftlab !== undefined, null, generous);
  await expect(page.getByTestId('node-1')).toBeVisible(generous);
}

/** Advances virtual time by `ticks` through the façade. */
export async function advance(page: Page, ticks: number): Promise<void> {
  await page.evaluate((t) => (window as unknown as RaftlabWindow).raftlab!.advance(t), ticks);
}

/** The data-* attributes of every node element in the cluster view. */
export async function nodes(page: Page) {
  return page.locator('[data-testid^="node-"][data-state]').evaluateAll((els) =>
    els.map((e) => ({
      id: Number(e.getAttribute('data-testid')!.slice(5)),
      state: e.getAttribute('data-state')!,
      term: Number(e.getAttribute('data-term')),
      commit: Number(e.getAttribute('data-commit')),
      applied: Number(e.getAttribute('data-applied')),
      alive: e.getAttribute('data-alive') === 'true',
    })),
  );
}

/** How waitForLeader looks for a leader. */
export interface LeaderPoll {
  /**
   * 'dom': the first running node drawn as StateLeader (the default);
   * 'facade': the façade's leader().
   */
  source?: 'dom' | 'facade';
  /** Ticks advanced after each poll that finds no leader. */
  ticks?: number;
  /** Milliseconds between polls. */
  interval?: number;
}

/** Asks the façade for the leader, advancing 2 ticks between quick polls. */
export const viaFacade: LeaderPoll = { source: 'facade', ticks: 2, interval: 50 };

/**
 * Advances time until a leader that is not in `exclude` shows, and returns its id.
 */
export async function waitForLeader(page: Page, exclude: number[] = [], poll: LeaderPoll = {}): Promise<number> {
  const { source = 'dom', ticks = 5, interval = 100 } = poll;
  let leader = 0;
  await expect
    .poll(
      async () => {
        let id: number;
        if (source === 'facade') {
          id = await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.leader());
        } else {
          const ns = await nodes(page);
          id = ns.find((n) => n.alive && n.state === 'StateLeader' && !exclude.includes(n.id))?.id ?? 0;
        }
        leader = exclude.includes(id) ? 0 : id;
        if (leader === 0) await advance(page, ticks);
        return leader;
      },
      { timeout: 30_000, intervals: [interval] },
    )
    .toBeGreaterThan(0);
  return leader;
}

/**
 * Runs axe on the page, or only on the elements matching `include`, and fails on any
 * serious or critical violation, each named with `label`.
 */
export async function axe(page: Page, include: string | undefined, label: string): Promise<void> {
  const builder = new AxeBuilder({ page });
  const r = await (include === undefined ? builder : builder.include(include)).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}
