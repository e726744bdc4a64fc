import { serverE2e, startStratusProcess, type ServerE2e } from '@stratus/testing';
import { startMoto, type Moto } from './moto.js';

/**
 * The real server process (apps/server's `stratus` bin) with the AWS provider enabled, pointed at a
 * moto_server (the harness's `fake`), with credentials from the SDK's default chain (environment
 * variables). `seed` fills moto before the server starts and answers the accounts to configure;
 * `stop` runs before moto stops.
 */
export function awsServerE2e(options: {
  tempPrefix: string;
  setupTimeoutMs: number;
  seed(moto: Moto): Promise<Record<string, unknown>[]>;
  stop?(): Promise<void>;
}): ServerE2e<Moto> {
  return serverE2e({
    opsPath: '/aws/ops',
    setupTimeoutMs: options.setupTimeoutMs,
    startFake: () => startMoto(),
    async startProcess(moto) {
      const accounts = await options.seed(moto);
      return startStratusProcess({
        tempPrefix: options.tempPrefix,
        config: { aws: { enabled: true, endpoint: moto.endpoint, agentIntervalSeconds: 2, accounts } },
        dropEnvPrefixes: ['AWS_'],
        env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' },
        readyTimeoutMs: 90_000,
      });
    },
    async stopFake(moto) {
      await options.stop?.();
      await moto.stop();
    },
  });
}
