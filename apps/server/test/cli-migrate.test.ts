import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskRecord } from '@stratus/core';
import { createRedisClient, deleteKeysMatching, RedisTaskRepository } from '@stratus/redis';
import { createSqlDatabase, SqlTaskRepository } from '@stratus/sql';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(serverDir, 'bin', 'stratus.js');
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STRATUS') && name !== 'INIT_CWD'));

const dir = mkdtempSync(join(tmpdir(), 'stratus-cli-migrate-'));
const prefix = `stratus-test-migrate-${randomBytes(4).toString('hex')}`;
const redisUrl = `redis://127.0.0.1:6379/0?prefix=${prefix}`;
const redis = createRedisClient({ url: 'redis://127.0.0.1:6379/0' });
const source = new RedisTaskRepository(createRedisClient({ url: 'redis://127.0.0.1:6379/0' }), { keyPrefix: prefix, ownsConnection: true });
let postgres: TestDatabase;
let destination: SqlTaskRepository;
const TASKS = 40;
let seeded: TaskRecord[] = [];

function stratus(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: serverDir, env, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(async () => {
  postgres = await createTestDatabase('postgres');
  // Tasks in every state, with history, results and outputs, some old enough for --since to skip.
  for (let i = 0; i < TASKS; i++) {
    const { task } = await source.create('ORCHESTRATION', `Initializing ${i}`, `cli-migrate-${prefix}-${i}`, 'node-old');
    await source.appendStatus(task.id, 'DEPLOY', `step ${i}`);
    if (i % 3 !== 0) await source.addResultObjects(task.id, [{ index: i, names: [`app-v00${i % 10}`], nested: { ok: true } }]);
    await source.addOutput(task.id, { phase: 'DEPLOY', text: `output ${i}` });
    if (i % 4 === 1) await source.appendStatus(task.id, 'DEPLOY', 'failed', 'FAILED');
    else if (i % 4 !== 0) await source.appendStatus(task.id, 'DEPLOY', 'done', 'COMPLETED');
  }
  seeded = (await Promise.all((await source.listTaskIds()).map((id) => source.get(id)))).filter((task): task is TaskRecord => task !== undefined);
}, 60_000);

afterAll(async () => {
  await source.close();
  await destination?.close();
  await deleteKeysMatching(redis, `${prefix}:*`).catch(() => undefined);
  redis.disconnect();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('stratus migrate tasks (Redis -> PostgreSQL, real processes)', () => {
  it('a dry run counts and writes nothing, not even the schema', async () => {
    const result = stratus(['migrate', 'tasks', '--from', redisUrl, '--to', postgres.url, '--dry-run']);
    expect(result.stderr).toContain('dry run');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true, total: TASKS, copied: TASKS, present: 0 });
    const untouched = new SqlTaskRepository(createSqlDatabase({ url: postgres.url, maxConnections: 1 }), { ownsDatabase: true });
    await expect(untouched.listTaskIds()).rejects.toThrow();
    await untouched.close();
  });

  it('a dry run to a SQLite file that does not exist yet does not create it', () => {
    const file = join(dir, 'not-yet.db');
    const result = stratus(['migrate', 'tasks', '--from', redisUrl, '--to', `sqlite:${file}`, '--dry-run']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true, total: TASKS, copied: TASKS, present: 0 });
    expect(existsSync(file)).toBe(false);
  });

  it('copies with history, results and outputs; resumes after being killed mid-way; verifies', async () => {
    // Small batches with a pause, so the copy is still running when it is killed.
    const child = spawn(process.execPath, [bin, 'migrate', 'tasks', '--from', redisUrl, '--to', postgres.url, '--batch-size', '4', '--batch-delay-ms', '300'], {
      cwd: serverDir,
      env,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait (bounded) until part of the tasks are in PostgreSQL, then kill the copy hard.
    const database = createSqlDatabase({ url: postgres.url, maxConnections: 2 });
    destination = new SqlTaskRepository(database, { ownsDatabase: true });
    let copiedBeforeKill = 0;
    for (let i = 0; i < 200 && copiedBeforeKill < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      copiedBeforeKill = await destination.listTaskIds().then(
        (ids) => ids.length,
        () => 0,
      );
    }
    child.kill('SIGKILL');
    await exited;
    expect(stderr).toMatch(/migrate: \d+\/40 tasks/); // plain progress lines when not on a TTY
    const afterKill = (await destination.listTaskIds()).length;
    expect(afterKill).toBeGreaterThanOrEqual(8);
    expect(afterKill).toBeLessThan(TASKS);

    const resumed = stratus(['migrate', 'tasks', '--from', redisUrl, '--to', postgres.url, '--batch-size', '10', '--sample', '100']);
    expect(resumed.stderr).toContain('migrate: done');
    expect(resumed.status).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect(report).toMatchObject({ total: TASKS, problems: [], sampled: TASKS });
    expect(report.present).toBe(afterKill);
    expect(report.copied).toBe(TASKS - afterKill);

    // Every task arrived exactly as it was, and each request id maps to it.
    expect(await destination.listTaskIds()).toEqual(seeded.map((task) => task.id).sort());
    for (const task of seeded) {
      expect(await destination.get(task.id)).toEqual(task);
      expect((await destination.getByClientRequestId(task.requestId))?.id).toBe(task.id);
    }
    const running = (await destination.listRunning()).map((task) => task.id).sort();
    expect(running).toEqual(
      seeded
        .filter((task) => task.history.at(-1)!.state === 'STARTED')
        .map((task) => task.id)
        .sort(),
    );

    // A third run is a no-op; here both stores are named by the config files servers run with.
    const fromConfig = join(dir, 'redis.yml');
    writeFileSync(fromConfig, `redis: {enabled: true, connection: 'redis://127.0.0.1:6379/0', keyPrefix: ${prefix}}\n`);
    const toConfig = join(dir, 'sql.yml');
    writeFileSync(toConfig, `sql: {enabled: true, connectionPools: {default: {url: '${postgres.url}'}}, taskRepository: {enabled: true}}\n`);
    const again = stratus(['migrate', 'tasks', '--from', `config:${fromConfig}`, '--to', `config:${toConfig}`]);
    expect(again.stderr).toContain(`prefix=${prefix}`);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ copied: 0, present: TASKS });
  }, 60_000);

  it('exits 1 naming the problem when the destination holds a different task for a request id', async () => {
    // Copy back the other way into a Redis prefix where one request id already has another task.
    const otherPrefix = `${prefix}-back`;
    const back = new RedisTaskRepository(createRedisClient({ url: 'redis://127.0.0.1:6379/0' }), { keyPrefix: otherPrefix, ownsConnection: true });
    try {
      const clash = seeded[0]!;
      const { task: squatter } = await back.create('ORCHESTRATION', 'other', clash.requestId, 'node-x');
      const result = stratus(['migrate', 'tasks', '--from', postgres.url, '--to', `redis://127.0.0.1:6379/0?prefix=${otherPrefix}`, '--since', '1h']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`clientRequestId ${clash.requestId} already belongs to task ${squatter.id}`);
      expect(result.stderr).toContain('FAILED verification');
      expect(JSON.parse(result.stdout)).toMatchObject({ copied: TASKS - 1 });
    } finally {
      await back.close();
      await deleteKeysMatching(redis, `${otherPrefix}:*`).catch(() => undefined);
    }
  }, 30_000);

  it('rejects an unknown store with a clear message', () => {
    const result = stratus(['migrate', 'tasks', '--from', 'ftp://somewhere', '--to', postgres.url]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/unsupported task store 'ftp:\/\/somewhere'/);
  });
});
