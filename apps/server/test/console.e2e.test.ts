/**
 * The operator console in a real browser (Debian's chromium, driven by playwright-core) against a
 * real server process running the demo cloud: the page loads, shows the demo accounts and agents,
 * and a task started from outside appears running and then completes, live over server-sent events.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStratusProcess, type StratusProcess } from '@stratus/testing';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const shots = mkdtempSync(join(tmpdir(), 'stratus-console-'));
let server: StratusProcess;
let browser: Browser;

beforeAll(async () => {
  if (!CHROMIUM) throw new Error('chromium is not installed: scripts/ensure-services.sh installs it (apt-get install chromium)');
  server = await startStratusProcess({
    config: {
      demo: { enabled: true },
      providers: ['@stratus/testing/synthetic-provider'],
      synthetic: {
        agentIntervalMs: 2000,
        operationDelayMs: { resizeServerGroup: 2500 },
        accounts: [
          { name: 'demo-prod', regions: ['us-east-1'], seed: 1, applications: 2 },
          { name: 'demo-staging', regions: ['us-east-1'], seed: 2, applications: 1 },
        ],
      },
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(shots, { recursive: true, force: true });
});

describe('operator console', () => {
  it('shows the demo accounts and agents, and a task live from running to done', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);
    expect(page.url()).toBe(`${server.url}/console/`);

    await page.getByTestId('demo-badge').waitFor({ timeout: 30_000 });
    const accounts = page.getByTestId('accounts');
    await expect.poll(() => accounts.innerText(), { timeout: 30_000 }).toMatch(/demo-prod[\s\S]*demo-staging/);
    await expect.poll(() => page.getByTestId('agents').innerText(), { timeout: 30_000 }).toContain('demo-prod/us-east-1/SyntheticClusterCachingAgent');
    await expect.poll(() => page.getByTestId('live').innerText(), { timeout: 10_000 }).toBe('live');
    await expect.poll(() => page.getByTestId('cache').innerText(), { timeout: 30_000 }).toMatch(/synthetic\s+serverGroups\s+\d+/);

    const applications = (await server.get<{ name: string }[]>('/applications')).body;
    expect(applications.length).toBeGreaterThan(0);
    const app = applications[0]!.name;
    const groups = (await server.get<{ account: string; region: string; name: string }[]>(`/applications/${app}/serverGroups`)).body;
    const target = groups[0]!;
    const posted = await server.call<{ id: string }>('POST', '/synthetic/ops', [
      { resizeServerGroup: { credentials: target.account, region: target.region, serverGroupName: target.name, capacity: { min: 1, max: 3, desired: 3 } } },
    ]);
    expect(posted.status).toBe(200);
    const row = page.locator(`[data-task="${posted.body.id}"]`);
    await expect.poll(() => row.getAttribute('data-state').catch(() => null), { timeout: 15_000 }).toBe('RUNNING');
    await page.screenshot({ path: join(shots, 'console-running.png'), fullPage: true });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('SUCCEEDED');
    expect(errors).toEqual([]);
  }, 120_000);
});
