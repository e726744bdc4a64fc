import type { Logger } from '@stratus/plugin-api';

type Hook = () => Promise<void> | void;
/** A reload hook may stop the reload (a config file that does not parse): the later hooks then do not run. */
type ReloadHook = () => Promise<void | 'abort'> | void | 'abort';

/**
 * The order shutdown goes in, whatever order modules registered in: stop taking new work (timers,
 * watchers, signal handlers), finish the work in hand (scheduler, running operations — the HTTP
 * port still answers Orca's task polls meanwhile), close the listeners, release the accounts
 * (unschedule agents, close cloud clients), then close the stores. Within a stage, hooks run in the
 * reverse of their registration (what opened last closes first).
 */
export const SHUTDOWN_STAGES = ['intake', 'work', 'listeners', 'accounts', 'storage'] as const;
export type ShutdownStage = (typeof SHUTDOWN_STAGES)[number];

/**
 * Start, reload and shutdown of the assembled server. Modules register hooks while they register;
 * `startServer` calls `start()` once every module registered. See docs/architecture.md,
 * "Feature modules".
 */
export class Lifecycle {
  readonly #starts: { name: string; hook: Hook }[] = [];
  readonly #reloads: { name: string; hook: ReloadHook }[] = [];
  readonly #shutdowns = new Map<ShutdownStage, { name: string; hook: Hook }[]>(SHUTDOWN_STAGES.map((stage) => [stage, []]));
  #stopping: Promise<void> | undefined;
  #started = false;

  constructor(private readonly logger: Logger) {}

  /** Runs at `start()`, in registration order; a throw stops startup (after shutting down what started). */
  onStart(name: string, hook: Hook): void {
    this.#starts.push({ name, hook });
  }

  /** Runs at `reload()`, in registration order. */
  onReload(name: string, hook: ReloadHook): void {
    this.#reloads.push({ name, hook });
  }

  /** Runs at `shutdown()` in its stage; a throw is logged and the shutdown goes on. */
  onShutdown(name: string, hook: Hook, stage: ShutdownStage = 'storage'): void {
    this.#shutdowns.get(stage)!.push({ name, hook });
  }

  get started(): boolean {
    return this.#started;
  }

  /** Runs the start hooks; when one fails, shuts down (everything registered so far) and rethrows. */
  async start(): Promise<void> {
    try {
      for (const { hook } of this.#starts) await hook();
      this.#started = true;
    } catch (error) {
      await this.shutdown('startup failed');
      throw error;
    }
  }

  /** Runs the reload hooks in order; false when one aborted the reload. */
  async reload(): Promise<boolean> {
    for (const { hook } of this.#reloads) {
      if ((await hook()) === 'abort') return false;
    }
    return true;
  }

  /** Runs the shutdown hooks stage by stage; resolves once all ran. Safe to call twice. */
  shutdown(reason = 'shutdown requested'): Promise<void> {
    this.#stopping ??= (async () => {
      this.logger.info({ reason }, 'shutting down');
      for (const stage of SHUTDOWN_STAGES) {
        for (const { name, hook } of [...this.#shutdowns.get(stage)!].reverse()) {
          try {
            await hook();
          } catch (error) {
            this.logger.warn({ err: error, hook: name, stage, reason }, 'a shutdown step failed; going on');
          }
        }
      }
      this.logger.info({}, 'stopped');
    })();
    return this.#stopping;
  }
}
