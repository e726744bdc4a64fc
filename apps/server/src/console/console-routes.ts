import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { AGENT_SCHEDULER, TASK_REPOSITORY, canReadTask, type CallerAccess } from '@stratus/core';
import express, { type Router } from 'express';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve } from '../di.js';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import { canSeeAgentRecord } from '../routes/cache-routes.js';

/** The console's page, script and styles (apps/server/console); shipped with the package. */
const CONSOLE_DIR = fileURLToPath(new URL('../../console/', import.meta.url));
const require = createRequire(import.meta.url);
/** The ES module build next to a package entry's CommonJS one (`dist/x.js` → `dist/x.module.js`). */
const moduleBuild = (specifier: string, file: string) => join(dirname(require.resolve(specifier)), file);

/** The front-end libraries, served from the installed packages as ES modules (no bundler, no CDN). */
const VENDOR_FILES: Readonly<Record<string, string>> = {
  'preact.js': moduleBuild('preact', 'preact.module.js'),
  'hooks.js': moduleBuild('preact/hooks', 'hooks.module.js'),
  'htm.js': moduleBuild('htm', 'htm.module.js'),
};

/** How often an open event stream checks whether tasks or agent runs changed. */
const CHANGE_CHECK_MS = 1_000;

/**
 * The operator console at `/console`: a static page that reads the same JSON endpoints as any
 * client (so it shows only what the caller may read), plus `/console/events`, a server-sent event
 * stream that says `change` when running tasks or agent runs changed, so the page re-reads at once.
 * The events carry no data of their own, and only changes the caller may read count: another
 * team's (or, with Fiat, another application's) task moving is no event.
 */
export function registerConsoleRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  // The page's relative URLs need the trailing slash; the router is not strict, so `/console/` matches here too.
  router.get('/console', (req, res, next) => (req.path.endsWith('/') ? next() : res.redirect(301, '/console/')));
  router.use('/console', express.static(CONSOLE_DIR, { index: 'index.html', maxAge: 0 }));
  for (const [name, file] of Object.entries(VENDOR_FILES)) {
    // dotfiles: pnpm keeps the packages under node_modules/.pnpm, which send() would refuse as hidden.
    router.get(`/console/vendor/${name}`, (_req, res) => res.type('text/javascript').sendFile(file, { maxAge: '1h', dotfiles: 'allow' }));
  }

  openapi.registerPath({
    method: 'get',
    path: '/console/events',
    summary: 'Server-sent events for the operator console: `change` whenever running tasks or agent runs change',
    tags: ['system'],
    responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } } },
  });
  router.get('/console/events', (req, res) => {
    const access = callerAccessOf(req);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    let last = '';
    let checking = false;
    const check = async () => {
      if (checking) return;
      checking = true;
      try {
        const current = await fingerprint(container, access);
        if (current !== last) {
          last = current;
          res.write(`event: change\ndata: ${Date.now()}\n\n`);
        }
      } catch {
        // A store that is down: the page shows the failure when it reads; keep the stream open.
      } finally {
        checking = false;
      }
    };
    void check();
    const timer = setInterval(() => void check(), CHANGE_CHECK_MS);
    req.on('close', () => clearInterval(timer));
  });
}

/** A digest of what the console shows the caller that moves: readable running tasks and their progress, agent runs. */
async function fingerprint(container: DependencyContainer, access: CallerAccess): Promise<string> {
  const running = (await resolve(container, TASK_REPOSITORY).listRunning()).filter((task) => canReadTask(access, task));
  const agents = resolve(container, AGENT_SCHEDULER)
    .instrumentation.list()
    .filter((record) => canSeeAgentRecord(access, record));
  const hash = createHash('sha1');
  for (const task of running) hash.update(`${task.id}:${task.history.length};`);
  for (const agent of agents) hash.update(`${agent.agentType}:${agent.lastStartMs ?? ''}:${agent.lastError ?? ''};`);
  return hash.digest('hex');
}
