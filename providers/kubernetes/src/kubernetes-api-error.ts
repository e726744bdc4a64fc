/** A failed call to a Kubernetes API server, with the HTTP code (0 when none was received). */
export class KubernetesApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KubernetesApiError';
  }

  get notFound(): boolean {
    return this.code === 404;
  }

  /** Turns what the client threw (an `ApiException`, a network error, an abort) into one shape. */
  static from(error: unknown, what: string): KubernetesApiError {
    if (error instanceof KubernetesApiError) return error;
    const candidate = error as { code?: unknown; body?: unknown; message?: string; name?: string };
    // undici's fetch rejects with the signal's DOMException, whose legacy numeric `code` (20, 23)
    // is no HTTP status: an abort is recognised by name before any code is read.
    const aborted = candidate?.name === 'AbortError' || candidate?.name === 'TimeoutError';
    if (!aborted && typeof candidate?.code === 'number') {
      let status: { message?: string; reason?: string } = {};
      try {
        status = typeof candidate.body === 'string' ? JSON.parse(candidate.body) : ((candidate.body as typeof status) ?? {});
      } catch {
        status = { message: String(candidate.body) };
      }
      return new KubernetesApiError(candidate.code, status.reason ?? 'Unknown', `${what}: ${status.message ?? `HTTP ${candidate.code}`}`, { cause: error });
    }
    const reason = aborted ? 'Timeout' : 'Unreachable';
    const detail = aborted
      ? (candidate.message ?? candidate.name ?? 'aborted')
      : ((error as { cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code ?? candidate?.message ?? String(error));
    return new KubernetesApiError(0, reason, `${what}: ${detail}`, { cause: error });
  }
}
