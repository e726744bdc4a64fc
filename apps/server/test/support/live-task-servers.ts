import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real `stratus` server processes running the synthetic provider, and clients that submit deploys
 * (re-sending old clientRequestIds, as Orca does after a timeout) and poll every known task,
 * recording any task that disappears, goes backwards or gets a second id for one request id.
 */
export const serverDir = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(serverDir, 'bin', 'stratus.js');
export const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('STRATUS') && name !== 'INIT_CWD' && name !== 'LOG_LEVEL'),
);
/** Runs the `stratus` CLI (a minute at most) and answers its exit status and output. */
export const stratusCli = (args: readonly string[]) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: serverDir, env: childEnv, encoding: 'utf8', timeout: 60_000 });
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A deploy on the synthetic provider; it takes the server's configured `operationDelayMs`. */
export const DEPLOY = JSON.stringify([
  { createServerGroup: { credentials: 'prod', application: 'mig', region: 'us-east-1', capacity: { min: 1, max: 1, desired: 1 } } },
]);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LiveServer {
  readonly base: string;
  readonly output: string[];
  /** SIGTERM (in-flight operations drain) and the exit code. */
  stop(): Promise<number | null>;
  kill(): void;
}

export async function startLiveServer(dir: string, name: string, yaml: string, operationDelayMs: number, agentIntervalMs = 60_000): Promise<LiveServer> {
  const port = await freePort();
  const configPath = join(dir, `${name}.yml`);
  writeFileSync(
    configPath,
    [
      `server: {port: ${port}, address: 127.0.0.1}`,
      'logging: {level: warn}',
      "providers: ['@stratus/testing/synthetic-provider']",
      'admin: {tasks: {shutdownWaitSeconds: 20, leaseSeconds: 3600}}',
      'synthetic:',
      `  agentIntervalMs: ${agentIntervalMs}`,
      `  operationDelayMs: ${operationDelayMs}`,
      '  accounts:',
      '    - {name: prod, regions: [us-east-1], seed: 1}',
      yaml,
    ].join('\n'),
  );
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [bin, '--config', configPath], { cwd: serverDir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      throw new Error(`${name} did not stop within 30 s:\n${output.join('').slice(-2000)}`);
    }
    return code;
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`${base}/health/readiness`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready && child.exitCode === null) {
      await sleep(100);
      if (child.exitCode === null) return { base, output, stop, kill: () => child.kill('SIGKILL') };
    }
    if (child.exitCode !== null) break;
    await sleep(150);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become ready:\n${output.join('').slice(-3000)}`);
}

interface TaskView {
  readonly id: string;
  readonly history: readonly unknown[];
  readonly status: { readonly completed: boolean; readonly failed: boolean };
}

export class TaskClients {
  base = '';
  readonly idByRequest = new Map<string, string>();
  readonly lastSeen = new Map<string, { historyLength: number; completed: boolean }>();
  readonly violations: string[] = [];
  polls = 0;
  retries = 0;
  private created = 0;
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(readonly label: string) {}

  /** Submits one deploy under `requestId`; its task id, or undefined when the server was unavailable. */
  async post(requestId: string): Promise<string | undefined> {
    const response = await fetch(`${this.base}/synthetic/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spinnaker-request-id': requestId },
      body: DEPLOY,
    }).catch(() => undefined);
    if (!response) return undefined;
    const body = (await response.json().catch(() => ({}))) as { id?: string };
    if (response.status !== 200 || !body.id) {
      if (response.status !== 503) this.violations.push(`POST ${requestId}: ${response.status} ${JSON.stringify(body)}`);
      return undefined;
    }
    const known = this.idByRequest.get(requestId);
    if (known !== undefined && known !== body.id) this.violations.push(`clientRequestId ${requestId} got a second task ${body.id} (first ${known})`);
    if (known === undefined) this.idByRequest.set(requestId, body.id);
    return body.id;
  }

  async pollAll(): Promise<Map<string, TaskView>> {
    const views = new Map<string, TaskView>();
    for (const id of [...this.idByRequest.values()]) {
      const response = await fetch(`${this.base}/task/${id}`).catch(() => undefined);
      if (!response || response.status === 503) continue;
      if (response.status !== 200) {
        this.violations.push(`GET /task/${id}: ${response.status}`);
        continue;
      }
      const task = (await response.json()) as TaskView;
      this.polls += 1;
      views.set(id, task);
      const before = this.lastSeen.get(id);
      if (before && (task.history.length < before.historyLength || (before.completed && !task.status.completed))) {
        this.violations.push(`task ${id} went backwards: ${JSON.stringify(before)} -> ${task.history.length} lines, completed=${task.status.completed}`);
      }
      this.lastSeen.set(id, { historyLength: task.history.length, completed: task.status.completed });
    }
    return views;
  }

  start(maxNewTasks: number): void {
    this.running = true;
    const limit = this.created + maxNewTasks;
    this.loops = [
      (async () => {
        while (this.running) {
          if (this.created < limit) {
            const requestId = `${this.label}-${this.created}`;
            if (await this.post(requestId)) this.created += 1;
          }
          const known = [...this.idByRequest.keys()];
          if (known.length > 0) {
            await this.post(known[Math.floor(Math.random() * known.length)]!);
            this.retries += 1;
          }
          await sleep(200);
        }
      })(),
      (async () => {
        while (this.running) {
          await this.pollAll();
          await sleep(200);
        }
      })(),
    ];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  async waitAllCompleted(timeoutMs = 30_000): Promise<Map<string, TaskView>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const views = await this.pollAll();
      if (views.size === this.idByRequest.size && [...views.values()].every((task) => task.status.completed)) return views;
      if (Date.now() > deadline) {
        const running = [...views.values()].filter((t) => !t.status.completed).map((t) => t.id);
        throw new Error(
          `tasks not completed: ${running.join(', ')}; answered ${views.size} of ${this.idByRequest.size}; violations: ${this.violations.join('; ')}`,
        );
      }
      await sleep(200);
    }
  }
}
