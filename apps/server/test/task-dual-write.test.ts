import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createSqlDatabase } from '@stratus/sql';
import { describe, expect, it } from 'vitest';
import { scratchStores } from './support/scratch-stores.js';
import { openTaskStore } from '../src/migration/open-task-store.js';
import { differingFields } from '../src/migration/verify-tasks.js';
import { sleep, startLiveServer, stratusCli, TaskClients } from './support/live-task-servers.js';

/**
 * Tasks Redis -> PostgreSQL in dual-write mode, with real server processes and clients submitting
 * and polling throughout: A runs on Redis alone; B runs dual-write (primary PostgreSQL, previous
 * Redis) while A drains; halfway the operator rolls back by swapping primary and previous (C) while
 * B drains. No copy step anywhere: at the end Redis alone holds every task (the rollback target is
 * complete), PostgreSQL holds every task created since dual-write began, identical field by field,
 * and `stratus migrate verify tasks` agrees, then catches a row corrupted on purpose.
 */
const scratch = scratchStores('stratus-dual-write-');
const { dir, cleanups } = scratch;

const cli = stratusCli;

describe('dual-write task migration with live servers', () => {
  it('Redis -> dual-write(PostgreSQL, Redis) -> rollback dual-write(Redis, PostgreSQL): nothing lost, duplicated or needing a copy', async () => {
    const prefix = scratch.redisPrefix('dualwrite');
    const postgres = await scratch.database('postgres');
    const redisUrl = `redis://127.0.0.1:6379/0?prefix=${prefix}`;
    const redisYaml = `redis: {enabled: true, connection: 'redis://127.0.0.1:6379/0', keyPrefix: ${prefix}, cache: {enabled: false}, scheduler: {enabled: false}}`;
    const queue = join(dir, 'retry-queue.json');
    const dualWrite = (primary: string, previous: string) =>
      `dualTaskRepository: {enabled: true, mode: dual-write, primary: '${primary}', previous: '${previous}', retryQueue: {file: '${queue}'}}`;
    const clients = new TaskClients(`dw-${randomBytes(3).toString('hex')}`);
    const stopAll: (() => Promise<unknown>)[] = [];
    cleanups.push(async () => Promise.all(stopAll.map((stop) => stop().catch(() => undefined))));

    // 1. Redis alone.
    const a = await startLiveServer(dir, 'a', redisYaml, 1000);
    stopAll.push(async () => a.kill());
    clients.base = a.base;
    clients.start(4);
    await sleep(1500);

    // 2. Dual-write towards PostgreSQL; A drains its in-flight operations into Redis.
    const b = await startLiveServer(dir, 'b', dualWrite(postgres.url, redisUrl), 1000);
    stopAll.push(async () => b.kill());
    await clients.stop();
    const beforeDualWrite = new Set(clients.idByRequest.values());
    clients.base = b.base;
    clients.start(8);
    expect(await a.stop()).toBe(0);
    await sleep(2500);

    // 3. Rollback halfway: swap primary and previous; B drains (its writes still reach both stores).
    const c = await startLiveServer(dir, 'c', dualWrite(redisUrl, postgres.url), 1000);
    stopAll.push(async () => c.kill());
    await clients.stop();
    // Operations started on B just before the switch: B finishes them while draining, writing both stores.
    for (let i = 0; i < 2; i += 1) expect(await clients.post(`${clients.label}-late-${i}`)).toBeDefined();
    const inFlightOnB = [...(await clients.pollAll()).values()].filter((task) => !task.status.completed).map((task) => task.id);
    clients.base = c.base;
    clients.start(8);
    expect(await b.stop()).toBe(0);
    await sleep(2500);
    await clients.stop();
    await clients.waitAllCompleted();
    const readiness = (await (await fetch(`${c.base}/health/readiness`)).json()) as { components: Record<string, { details?: unknown }> };
    expect(await c.stop()).toBe(0);

    expect(clients.violations).toEqual([]);
    expect(clients.retries).toBeGreaterThan(0);
    expect(inFlightOnB.length, 'some operations were still running on B at the rollback').toBeGreaterThan(0);
    const all = [...clients.idByRequest.values()];
    const sinceDualWrite = all.filter((id) => !beforeDualWrite.has(id));
    expect(beforeDualWrite.size).toBeGreaterThan(0);
    expect(sinceDualWrite.length).toBeGreaterThan(8);

    // Both stores, read directly: one task per request id; Redis complete; PostgreSQL holds every
    // task since dual-write began, the same field by field (history timestamps within 5 s).
    const [oldStore, newStore] = [await openTaskStore(redisUrl), await openTaskStore(postgres.url)];
    try {
      expect((await oldStore.repository.listTaskIds()).sort()).toEqual([...all].sort());
      expect((await newStore.repository.listTaskIds()).sort()).toEqual([...sinceDualWrite].sort());
      for (const id of sinceDualWrite) {
        const [x, y] = [await oldStore.repository.get(id), await newStore.repository.get(id)];
        expect(x?.history.at(-1)?.state, id).toBe('COMPLETED');
        expect(differingFields(x!, y!, 5000), id).toEqual([]);
      }
    } finally {
      await Promise.all([oldStore.close(), newStore.close()]);
    }
    if (process.env.DEBUG_DUAL_WRITE) console.log(JSON.stringify(readiness.components));

    // Verify: only the tasks from before dual-write are missing from PostgreSQL ...
    const before = cli(['migrate', 'verify', 'tasks', '--from', redisUrl, '--to', postgres.url, '--timestamp-tolerance-ms', '5000']);
    expect(before.status, before.stderr).toBe(1);
    expect(JSON.parse(before.stdout)).toMatchObject({ missingInTo: { count: beforeDualWrite.size }, missingInFrom: { count: 0 }, differences: [] });
    // ... which `migrate tasks` copies; then the stores match ...
    expect(cli(['migrate', 'tasks', '--from', redisUrl, '--to', postgres.url]).status).toBe(0);
    const matched = cli(['migrate', 'verify', 'tasks', '--from', redisUrl, '--to', postgres.url, '--timestamp-tolerance-ms', '5000']);
    expect(matched.status, matched.stderr).toBe(0);
    expect(JSON.parse(matched.stdout)).toMatchObject({ ok: true, fromCount: all.length, toCount: all.length, sampled: all.length });
    // ... until one stored status line is corrupted.
    const victim = sinceDualWrite[Math.floor(sinceDualWrite.length / 2)]!;
    const database = createSqlDatabase({ url: postgres.url, maxConnections: 1 });
    try {
      const changed = await database.affected(database.statement(`update ${database.tables.taskStates} set status = ? where task_id = ? and status <> ?`), [
        'corrupted',
        victim,
        'corrupted',
      ]);
      expect(changed).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
    const corrupted = cli(['migrate', 'verify', 'tasks', '--from', redisUrl, '--to', postgres.url, '--timestamp-tolerance-ms', '5000']);
    expect(corrupted.status).toBe(1);
    expect(corrupted.stderr).toContain(`task ${victim}: history[`);
    expect(corrupted.stderr).toContain('MISMATCH');
  }, 420_000);
});
