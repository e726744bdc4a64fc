import type { OperationContext } from '@stratus/plugin-api';
import { parseAllDocuments } from 'yaml';
import type { Artifact } from './artifact-binding.js';

/** A manifest file larger than this is refused rather than parsed (a deploy, not a data transfer). */
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

/**
 * The manifests of `deployManifest`'s `source: artifact`: the artifact is read through the server's
 * artifact downloads (the same accounts and checks as `PUT /artifacts/fetch`) and parsed as YAML
 * documents; empty documents are skipped and a `List` deploys its items. Errors name the artifact.
 */
export async function manifestsFromArtifact(context: OperationContext, artifact: Artifact, artifactAccount: string | undefined): Promise<unknown[]> {
  if (!context.artifacts) {
    throw new Error('source "artifact": this server runs no artifacts service, so the manifest cannot be fetched; send it in "manifests" with source "text"');
  }
  const wanted = artifactAccount && !artifact.artifactAccount ? { ...artifact, artifactAccount } : artifact;
  const content = await context.artifacts.download(wanted as Parameters<typeof context.artifacts.download>[0], { signal: context.signal });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of content) {
    size += chunk.byteLength;
    if (size > MAX_MANIFEST_BYTES) throw new Error(`manifestArtifact ${describe(artifact)} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  const parsed = parseAllDocuments(Buffer.concat(chunks).toString('utf8'));
  const broken = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((document) => document.errors);
  if (broken.length > 0) throw new Error(`manifestArtifact ${describe(artifact)} is not valid YAML: ${broken[0]!.message.split('\n')[0]}`);
  const documents: unknown[] = (Array.isArray(parsed) ? parsed : [parsed]).map((document) => document.toJS());
  const manifests = documents
    .filter((document) => document !== null && document !== undefined)
    .flatMap((document) => (isList(document) ? document.items : [document]));
  if (manifests.length === 0) throw new Error(`manifestArtifact ${describe(artifact)} holds no manifest`);
  return manifests;
}

function isList(document: unknown): document is { items: unknown[] } {
  return (
    typeof document === 'object' &&
    document !== null &&
    (document as { kind?: unknown }).kind === 'List' &&
    Array.isArray((document as { items?: unknown }).items)
  );
}

const describe = (artifact: Artifact) => `${artifact.type} ${artifact.name ?? artifact.reference ?? ''}`.trim();
