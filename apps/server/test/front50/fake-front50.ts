import express from 'express';
import type { Server } from 'node:http';

/**
 * A loopback Front50 speaking the v2 REST shapes Stratus reads: `GET /v2/projects/{id}` (by name,
 * case-insensitively, else by id, as Front50's `ProjectsController` looks it up) and
 * `GET /v2/applications/{name}`, with kork's 404 body for unknown ones. Records every request path.
 */
export class FakeFront50 {
  readonly requests: string[] = [];
  readonly projects: Record<string, unknown>[] = [];
  readonly applications: Record<string, unknown>[] = [];
  /** When set, every request answers this status (to test Front50 failures). */
  failWith: number | undefined;
  private server?: Server;

  async start(): Promise<string> {
    const app = express();
    app.use((req, res, next) => {
      this.requests.push(req.url);
      if (this.failWith) res.status(this.failWith).json({ status: this.failWith, error: 'Internal Server Error', message: 'boom' });
      else next();
    });
    const notFound = (res: express.Response, message: string) =>
      res
        .status(404)
        .json({ timestamp: Date.now(), status: 404, error: 'Not Found', message, exception: 'com.netflix.spinnaker.kork.web.exceptions.NotFoundException' });
    app.get('/v2/projects/:id', (req, res) => {
      const id = req.params.id;
      const project = this.projects.find((p) => String(p.name).toLowerCase() === id.toLowerCase()) ?? this.projects.find((p) => p.id === id);
      if (!project) return void notFound(res, `No project found with name of ${id}`);
      res.json(project);
    });
    // Front50's search: every parameter but pageSize must be contained in that attribute, ignoring case.
    app.get('/v2/applications', (req, res) => {
      const { pageSize, restricted: _restricted, ...params } = req.query as Record<string, string>;
      const found = this.applications.filter((application) =>
        Object.entries(params).every(([key, value]) =>
          String(application[key] ?? '')
            .toLowerCase()
            .includes(String(value).toLowerCase()),
        ),
      );
      res.json(pageSize ? found.slice(0, Number(pageSize)) : found);
    });
    app.get('/v2/applications/:name', (req, res) => {
      const application = this.applications.find((a) => String(a.name).toLowerCase() === req.params.name.toLowerCase());
      if (!application) return void notFound(res, `Application not found (name: ${req.params.name})`);
      res.json(application);
    });
    this.server = await new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A project as Front50 stores and returns it (`Project` with its `ProjectConfig`). */
export function front50Project(name: string, config: Record<string, unknown>): Record<string, unknown> {
  return {
    id: `${name}-id`,
    name,
    email: `${name}@example.com`,
    config: { pipelineConfigs: [], ...config },
    updateTs: 1_700_000_000_000,
    createTs: 1_690_000_000_000,
    lastModifiedBy: 'anonymous',
  };
}
