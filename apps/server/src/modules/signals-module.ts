import { LIFECYCLE } from '@stratus/core';
import { defineServerModule } from './define-server-module.js';
import { SERVER_LOGGER } from './module-tokens.js';

/**
 * SIGHUP reloads; SIGTERM and SIGINT shut down and exit (the CLI lists this module; tests and
 * embedders do not, so a test never installs process handlers).
 */
export const signalsModule = defineServerModule({
  id: 'server.signals',
  deps: { lifecycle: LIFECYCLE, logger: SERVER_LOGGER },
  register({ deps }) {
    const { lifecycle, logger } = deps;
    lifecycle.onStart('signal handlers', () => {
      const onHup = () => void lifecycle.reload();
      const onStop = (signal: string) => () => {
        // A second signal must not end the drain: a process-group signal reaches both `pnpm` and the
        // server, and pnpm forwards its own copy, so one Ctrl-C or SIGTERM can arrive twice. These
        // handlers outlive the shutdown's cleanups (which remove the ones below) until the process exits.
        const repeated = (again: NodeJS.Signals) => logger.warn({ signal: again }, 'already draining; send SIGKILL to stop at once');
        process.on('SIGTERM', repeated);
        process.on('SIGINT', repeated);
        void lifecycle.shutdown(signal).then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      const onTerm = onStop('SIGTERM');
      const onInt = onStop('SIGINT');
      process.on('SIGHUP', onHup);
      process.once('SIGTERM', onTerm);
      process.once('SIGINT', onInt);
      lifecycle.onShutdown(
        'signal handlers',
        () => {
          process.off('SIGHUP', onHup);
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
        },
        'intake',
      );
    });
  },
});
