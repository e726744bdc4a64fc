import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ArtifactError, type Artifact } from '@stratus/plugin-api';
import type { Request, Response, Router } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { ARTIFACT_SERVICE, type ArtifactService } from '../artifacts/artifact-service.js';
import { resolveOptional } from '../di.js';
import { HttpError, defineRoute } from '../http/define-route.js';
import { callerAccessOf } from '../http/caller-access-middleware.js';

const artifactSchema = z
  .looseObject({
    type: z.string().nullish(),
    name: z.string().nullish(),
    version: z.string().nullish(),
    location: z.string().nullish(),
    reference: z.string().nullish(),
    artifactAccount: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .describe("kork's Artifact, as Orca and Gate send it")
  .openapi('Artifact');

/** How much of an artifact is read before the status is sent. */
const HEAD_BYTES = 1024 * 1024;

const credentialsSchema = z.object({ name: z.string(), types: z.array(z.string()), type: z.string() }).openapi('ArtifactAccount');

/** kork sends absent fields as null; the SPI's artifact has them undefined. */
function withoutNulls(body: Record<string, unknown>): Artifact {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null)) as Artifact;
}

function asHttpError(error: unknown): unknown {
  return error instanceof ArtifactError ? new HttpError(error.status, error.message) : error;
}

/** The artifact service, or a 404 when artifacts are not configured on this server. */
function artifactServiceOf(container: DependencyContainer): ArtifactService {
  const found = resolveOptional(container, ARTIFACT_SERVICE);
  if (!found) throw new HttpError(404, 'Artifacts are not available on this server');
  return found;
}

/** The artifact account `name` handling `type`, if the caller may use it (else it does not exist for them). */
function accountFor(container: DependencyContainer, req: Request, name: string, type: string) {
  const artifacts = artifactServiceOf(container);
  const found = artifacts.accounts.find(name, type);
  if (!artifacts.canUseAccount(callerAccessOf(req))(name))
    throw new ArtifactError(404, `Credentials '${name}' supporting artifact type '${type}' cannot be found`);
  return found.account;
}

/** `PUT /artifacts/fetch`: downloads through the artifact account and streams the bytes. */
async function streamArtifact(artifacts: ArtifactService, artifact: Artifact, req: Request, res: Response): Promise<void> {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let iterator: AsyncIterator<Uint8Array>;
  const head: Uint8Array[] = [];
  let done = false;
  try {
    const content = await artifacts.downloader.download(artifact, {
      signal: controller.signal,
      canUseAccount: artifacts.canUseAccount(callerAccessOf(req)),
    });
    iterator = content[Symbol.asyncIterator]();
    // Read up to HEAD_BYTES before sending the status, so that failures of small artifacts (an
    // upstream error, the size cap) still get a clear error answer; larger ones are cut mid-stream.
    let buffered = 0;
    while (buffered < HEAD_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      head.push(next.value);
      buffered += next.value.byteLength;
    }
  } catch (error) {
    throw asHttpError(error);
  }
  res.status(200).type('application/octet-stream');
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  try {
    await pipeline(Readable.from(all(), { objectMode: false }), res);
  } catch (error) {
    // The status is sent: all that is left is to cut the response so the client sees a failure.
    (req as { log?: { warn(obj: unknown, msg?: string): void } }).log?.warn({ err: error }, 'artifact download failed while streaming');
    res.destroy();
  }
}

/**
 * Clouddriver's `ArtifactController`: `GET /artifacts/credentials`, `PUT /artifacts/fetch` (the
 * bytes, streamed), `GET /artifacts/account/{accountName}/names` and `/versions`, and
 * `GET /artifacts/content-address/{application}/{hash}`. Accounts the caller may not read do not
 * exist for it.
 */
export function registerArtifactRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const service = () => artifactServiceOf(container);

  defineRoute(router, openapi, {
    method: 'get',
    path: '/artifacts/credentials',
    summary: 'Artifact accounts the caller may read: name, the artifact types they handle, and their credentials type',
    tags: ['artifacts'],
    response: z.array(credentialsSchema),
    handler: ({ req }) =>
      service()
        .readable(callerAccessOf(req))
        .map(({ account, definition }) => ({ name: account.name, types: [...account.types], type: definition.credentialsType })),
  });

  defineRoute(router, openapi, {
    method: 'put',
    path: '/artifacts/fetch',
    summary: 'Downloads an artifact through its artifactAccount and streams the bytes (application/octet-stream)',
    tags: ['artifacts'],
    body: artifactSchema,
    response: z.any().openapi({ type: 'string', format: 'binary', description: 'The artifact bytes (application/octet-stream), streamed' }),
    handler: ({ body, req, res }) => streamArtifact(service(), withoutNulls(body), req, res),
  });

  registerArtifactPickerRoutes(router, openapi, container);

  defineRoute(router, openapi, {
    method: 'get',
    path: '/artifacts/content-address/{application}/{hash}',
    summary: "A stored artifact's content (kork's StoredView: the base64 reference)",
    tags: ['artifacts'],
    params: z.object({ application: z.string().min(1), hash: z.string().min(1) }),
    response: z.object({ reference: z.string() }).openapi('StoredArtifact'),
    handler: async ({ params }) => {
      const reference = await service().store.get(params.application, params.hash);
      if (reference === undefined) throw new HttpError(404, `No stored artifact ref://${params.application}/${params.hash}`);
      return { reference };
    },
  });
}

/** `GET /artifacts/account/{accountName}/names` and `/versions`: what Deck's artifact pickers list. */
function registerArtifactPickerRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/artifacts/account/{accountName}/names',
    summary: 'Artifact names the account offers (helm charts), for Deck pickers',
    tags: ['artifacts'],
    params: z.object({ accountName: z.string().min(1) }),
    query: z.object({ type: z.string().min(1) }),
    response: z.array(z.string()),
    handler: async ({ params, query, req }) => {
      try {
        const account = accountFor(container, req, params.accountName, query.type);
        if (!account.listNames) throw new ArtifactError(400, `Artifact names are not supported for artifact types that '${account.name}' account handles`);
        return await account.listNames(AbortSignal.timeout(60_000));
      } catch (error) {
        throw asHttpError(error);
      }
    },
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/artifacts/account/{accountName}/versions',
    summary: 'Versions of one artifact the account offers (helm chart versions), for Deck pickers',
    tags: ['artifacts'],
    params: z.object({ accountName: z.string().min(1) }),
    query: z.object({ type: z.string().min(1), artifactName: z.string().min(1) }),
    response: z.array(z.string()),
    handler: async ({ params, query, req }) => {
      try {
        const account = accountFor(container, req, params.accountName, query.type);
        if (!account.listVersions)
          throw new ArtifactError(400, `Artifact versions are not supported for artifact types that '${account.name}' account handles`);
        return await account.listVersions(query.artifactName, AbortSignal.timeout(60_000));
      } catch (error) {
        throw asHttpError(error);
      }
    },
  });
}
