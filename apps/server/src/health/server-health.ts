/** A dependency whose reachability decides readiness (a store's `ping`). */
export interface ReadinessCheck {
  readonly name: string;
  /** Shown next to the result, e.g. the store kind (`memory`, `redis`, `postgres`). */
  readonly kind?: string;
  /** Throws when the dependency is unreachable; may return details to show (never secrets). */
  check(): Promise<void | Record<string, unknown>>;
}

export type HealthStatus = 'UP' | 'DOWN' | 'OUT_OF_SERVICE';

export interface ComponentHealth {
  readonly status: HealthStatus;
  readonly kind?: string;
  readonly latencyMs: number;
  readonly error?: string;
  readonly details?: Record<string, unknown>;
}

export interface ReadinessReport {
  readonly status: HealthStatus;
  /** `starting`, `ready` or `stopping`. */
  readonly phase: ServerPhase;
  readonly components: Record<string, ComponentHealth>;
}

export type ServerPhase = 'starting' | 'ready' | 'stopping';

/** How long one check may take before it counts as down. */
const CHECK_TIMEOUT_MS = 5_000;

/**
 * Liveness and readiness (Spring actuator shapes, `{status, components}`). Readiness is down until
 * startup finished, once shutdown began, and whenever a registered check (store ping) fails.
 */
export class ServerHealth {
  private phase: ServerPhase = 'starting';
  private readonly checks: ReadinessCheck[] = [];

  addCheck(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  markReady(): void {
    if (this.phase === 'starting') this.phase = 'ready';
  }

  markStopping(): void {
    this.phase = 'stopping';
  }

  get currentPhase(): ServerPhase {
    return this.phase;
  }

  async readiness(): Promise<ReadinessReport> {
    const results = await Promise.all(this.checks.map(async (check) => [check.name, await runCheck(check)] as const));
    const components = Object.fromEntries(results);
    const allUp = results.every(([, result]) => result.status === 'UP');
    const status: HealthStatus = this.phase === 'stopping' ? 'OUT_OF_SERVICE' : this.phase === 'ready' && allUp ? 'UP' : 'DOWN';
    return { status, phase: this.phase, components };
  }
}

async function runCheck(check: ReadinessCheck): Promise<ComponentHealth> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const details = await Promise.race([
      check.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return {
      status: 'UP',
      ...(check.kind ? { kind: check.kind } : {}),
      latencyMs: Math.round(performance.now() - start),
      ...(details ? { details } : {}),
    };
  } catch (error) {
    return {
      status: 'DOWN',
      ...(check.kind ? { kind: check.kind } : {}),
      latencyMs: Math.round(performance.now() - start),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}
