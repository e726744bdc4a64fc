import type { Artifact } from '@stratus/plugin-api';

/**
 * How an artifact is named in error messages: its type and name or reference, never an embedded
 * payload, and URLs without credentials or query strings (which may carry signed tokens).
 */
export function describeArtifact(artifact: Artifact): string {
  const type = artifact.type ?? '(no type)';
  const embedded = type.startsWith('embedded/') || type.startsWith('remote/');
  const where = embedded ? artifact.name : (safeReference(artifact.reference) ?? artifact.name);
  const version = artifact.version ? `@${artifact.version}` : '';
  return `${type} artifact ${where ?? '(no reference)'}${version}`;
}

function safeReference(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  try {
    const url = new URL(reference);
    if (url.protocol === 'http:' || url.protocol === 'https:') return `${url.origin}${url.pathname}`;
  } catch {
    // not a URL (e.g. s3://bucket/key is one; a bare path is not)
  }
  return reference.replace(/\/\/[^/@]*@/, '//').slice(0, 300);
}
