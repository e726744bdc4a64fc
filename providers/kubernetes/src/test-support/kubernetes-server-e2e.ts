import { join } from 'node:path';
import { FakeKubernetesServer, serverE2e, startStratusProcess, type FakeKubernetesServerOptions, type ServerE2e } from '@stratus/testing';
import { closedPort, unreachableKubeconfig } from './harness.js';

/**
 * The real server process (the `stratus` bin of apps/server) with `kubernetes.enabled`, one account
 * (`account`: its name and any other fields) on a fake API server started with `fakeOptions` and
 * filled by `seed`, and one account `downAccount` on a closed port, whose cluster never answers.
 * Readiness details name accounts and their errors, so user `root` is an admin.
 */
export function kubernetesServerE2e(options: {
  tempPrefix: string;
  fakeOptions?: FakeKubernetesServerOptions;
  seed?(fake: FakeKubernetesServer): void;
  account: { name: string } & Record<string, unknown>;
  downAccount: string;
}): ServerE2e<FakeKubernetesServer> {
  return serverE2e({
    opsPath: '/kubernetes/ops',
    setupTimeoutMs: 90_000,
    startFake: () => FakeKubernetesServer.start(options.fakeOptions),
    async startProcess(fake) {
      options.seed?.(fake);
      const downPort = await closedPort();
      return startStratusProcess({
        tempPrefix: options.tempPrefix,
        files: { 'kubeconfig.json': fake.kubeconfigYaml() },
        config: ({ dir }) => ({
          security: { adminRoles: ['admins'], users: { root: ['admins'] } },
          kubernetes: {
            enabled: true,
            accounts: [
              { kubeconfigFile: join(dir, 'kubeconfig.json'), cacheIntervalSeconds: 600, ...options.account },
              { name: options.downAccount, kubeconfigContents: unreachableKubeconfig(downPort), cacheIntervalSeconds: 600 },
            ],
          },
        }),
      });
    },
    stopFake: (fake) => fake.close(),
  });
}
