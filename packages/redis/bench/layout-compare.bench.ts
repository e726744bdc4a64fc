/**
 * Layout comparison behind docs/redis.md: the same synthetic items written and read back in
 * Clouddriver's Redis layout (a string key per attribute map and per relationship list, MSET/MGET,
 * a members set, a relationship-name set, a digest per key) and in Stratus's (one hash per item,
 * HSET/HGETALL, an ids set, one digest per item). Both write through pipelines of `--batch` items
 * and store the same digests, so the difference is the layout alone: commands, bytes of Redis memory,
 * Redis CPU and wall time. Runs against its own scratch redis-server.
 *
 * Options: --agents=N (×2000 items, default 50) --batch=N (default 1000). Run with `pnpm bench:layout`.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { generateSyntheticResults } from '@stratus/testing';
import type { CacheData } from '@stratus/plugin-api';
import type { Redis } from 'ioredis';
import { createRedisClient, LuaScript } from '../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const DIGEST = 'AAAAAAAAAAAAAAAA';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function stats(redis: Redis): Promise<{ memory: number; cpu: number; calls: number }> {
  const info = await redis.info('all');
  const num = (re: RegExp) => Number(re.exec(info)?.[1] ?? 0);
  let calls = 0;
  for (const match of info.matchAll(/cmdstat_[a-z]+:calls=(\d+)/g)) calls += Number(match[1]);
  return { memory: num(/used_memory:(\d+)/), cpu: num(/used_cpu_user:([\d.]+)/) + num(/used_cpu_sys:([\d.]+)/), calls };
}

interface Layout {
  name: string;
  write(redis: Redis, type: string, batch: readonly CacheData[]): Promise<void>;
  read(redis: Redis, type: string, ids: readonly string[], relNames: readonly string[]): Promise<number>;
}

const clouddriver: Layout = {
  name: 'Clouddriver: string per attributes/relationship',
  async write(redis, type, batch) {
    const p = redis.pipeline();
    const mset: string[] = [];
    const hashes: string[] = [];
    const relNames = new Set<string>();
    for (const item of batch) {
      const attrKey = `cd:${type}:attributes:${item.id}`;
      mset.push(attrKey, JSON.stringify(item.attributes));
      hashes.push(attrKey, DIGEST);
      for (const name in item.relationships) {
        const relKey = `cd:${type}:relationships:${item.id}:${name}`;
        mset.push(relKey, JSON.stringify(item.relationships[name]));
        hashes.push(relKey, DIGEST);
        relNames.add(name);
      }
    }
    p.sadd(`cd:${type}:members`, ...batch.map((item) => item.id));
    p.mset(...mset);
    p.sadd(`cd:${type}:relationships`, ...relNames);
    p.hset(`cd:${type}:hashes`, ...hashes);
    await p.exec();
  },
  async read(redis, type, ids, relNames) {
    const keys: string[] = [];
    for (const id of ids) {
      keys.push(`cd:${type}:attributes:${id}`);
      for (const name of relNames) keys.push(`cd:${type}:relationships:${id}:${name}`);
    }
    const values = await redis.mget(...keys);
    let found = 0;
    const stride = 1 + relNames.length;
    for (let i = 0; i < values.length; i += stride) {
      if (values[i] === null) continue;
      JSON.parse(values[i]!);
      for (let r = 1; r < stride; r++) if (values[i + r] !== null) JSON.parse(values[i + r]!);
      found++;
    }
    return found;
  },
};

function readHashes(prefix: string): Layout['read'] {
  return async (redis, type, ids) => {
    const p = redis.pipeline();
    for (const id of ids) p.hgetall(`${prefix}:${type}:i:${id}`);
    let found = 0;
    for (const [, hash] of (await p.exec()) ?? []) {
      const fields = hash as Record<string, string>;
      if (fields.a === undefined) continue;
      for (const field in fields) JSON.parse(fields[field]!);
      found++;
    }
    return found;
  };
}

const hashPerItem: Layout = {
  name: 'Stratus: one hash per item',
  async write(redis, type, batch) {
    const p = redis.pipeline();
    const hashes: string[] = [];
    for (const item of batch) {
      const fields = ['a', JSON.stringify(item.attributes)];
      for (const name in item.relationships) fields.push(`r:${name}`, JSON.stringify(item.relationships[name]));
      p.hset(`st:${type}:i:${item.id}`, ...fields);
      hashes.push(item.id, DIGEST);
    }
    p.sadd(`st:${type}:ids`, ...batch.map((item) => item.id));
    p.hset(`st:${type}:hashes`, ...hashes);
    await p.exec();
  },
  read: readHashes('st'),
};

const HSET_BATCH = new LuaScript(
  'bench-hset-batch',
  `local i = 1
for k = 1, #KEYS do
  local n = tonumber(ARGV[i])
  redis.call('HSET', KEYS[k], unpack(ARGV, i + 1, i + n))
  i = i + n + 1
end
return #KEYS`,
);

const hashPerItemLua: Layout = {
  name: 'Stratus: one hash per item, one Lua call per batch',
  async write(redis, type, batch) {
    const keys: string[] = [];
    const args: string[] = [];
    const hashes: string[] = [];
    for (const item of batch) {
      keys.push(`sl:${type}:i:${item.id}`);
      const fields = ['a', JSON.stringify(item.attributes)];
      for (const name in item.relationships) fields.push(`r:${name}`, JSON.stringify(item.relationships[name]));
      args.push(String(fields.length), ...fields);
      hashes.push(item.id, DIGEST);
    }
    const p = redis.pipeline();
    p.evalsha(HSET_BATCH.sha, keys.length, ...keys, ...args);
    p.sadd(`sl:${type}:ids`, ...batch.map((item) => item.id));
    p.hset(`sl:${type}:hashes`, ...hashes);
    const replies = (await p.exec()) ?? [];
    if (replies[0]?.[0]) await HSET_BATCH.run(redis, keys, args); // NOSCRIPT on first use
  },
  read: readHashes('sl'),
};

async function main(): Promise<void> {
  const agents = arg('agents', 50);
  const batchSize = arg('batch', 1000);
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const redis = createRedisClient({ url: `redis://127.0.0.1:${port}/0`, commandTimeoutMs: 600_000 });
  for (let i = 0; i < 100 && redis.status !== 'ready'; i++) await sleep(100);
  try {
    // Items as the engine stores them: relationship names carry the source agent.
    const byType = new Map<string, CacheData[]>();
    for (const { agentType, result } of generateSyntheticResults({ agents, resourcesPerAgent: 2000, seed: 42 }).results(0)) {
      for (const [type, items] of Object.entries(result.cacheResults)) {
        const list = byType.get(type) ?? [];
        for (const item of items) {
          const relationships: Record<string, readonly string[]> = {};
          for (const name in item.relationships) relationships[`${name}:${agentType}`] = item.relationships[name]!;
          list.push({ ...item, relationships });
        }
        byType.set(type, list);
      }
    }
    const total = [...byType.values()].reduce((n, list) => n + list.length, 0);
    const rows: string[][] = [];
    for (const layout of [clouddriver, hashPerItem, hashPerItemLua]) {
      await redis.flushall();
      const before = await stats(redis);
      const cpu = process.cpuUsage();
      let start = performance.now();
      for (const [type, items] of byType) for (let i = 0; i < items.length; i += batchSize) await layout.write(redis, type, items.slice(i, i + batchSize));
      const writeMs = performance.now() - start;
      const writeCpu = process.cpuUsage(cpu);
      const afterWrite = await stats(redis);
      start = performance.now();
      let found = 0;
      for (const [type, items] of byType) {
        const relNames = [...new Set(items.flatMap((item) => Object.keys(item.relationships)))];
        for (let i = 0; i < items.length; i += batchSize)
          found += await layout.read(
            redis,
            type,
            items.slice(i, i + batchSize).map((item) => item.id),
            relNames,
          );
      }
      const readMs = performance.now() - start;
      if (found !== total) throw new Error(`${layout.name}: read ${found} of ${total}`);
      const afterRead = await stats(redis);
      rows.push([
        layout.name,
        (writeMs / 1000).toFixed(2),
        ((writeCpu.user + writeCpu.system) / 1e6).toFixed(2),
        (afterWrite.cpu - before.cpu).toFixed(2),
        String(afterWrite.calls - before.calls - 1),
        ((afterWrite.memory - before.memory) / total).toFixed(0),
        String(await redis.dbsize()),
        (readMs / 1000).toFixed(2),
        (afterRead.cpu - afterWrite.cpu).toFixed(2),
      ]);
    }
    console.log(`\nLayouts: ${total.toLocaleString('en-US')} items (${agents} synthetic agents), pipelines of ${batchSize} items, node ${process.version}\n`);
    const header = ['layout', 'write s', 'client CPU s', 'redis CPU s (write)', 'commands', 'bytes/item', 'keys', 'read-all s', 'redis CPU s (read)'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) => '| ' + cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ') + ' |';
    console.log(line(header));
    console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
    for (const row of rows) console.log(line(row));
  } finally {
    redis.disconnect();
    server.kill('SIGKILL');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
