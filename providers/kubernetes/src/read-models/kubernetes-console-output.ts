import { accountCoversNamespace } from '../accounts/kubernetes-account.js';
import { BUILT_IN_KINDS } from '../kubernetes-kind.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';

const POD_KIND = BUILT_IN_KINDS.find((k) => k.kind === 'Pod')!;

/** One container's log (Clouddriver's `ContainerLog`; Deck's `IInstanceMultiOutputLog`). */
export interface ContainerLog {
  readonly name: string;
  readonly output: string;
}

/**
 * `GET /instances/{account}/{namespace}/{pod}/console`: the logs of every init and regular
 * container of a pod, read live (logs are never cached). A container whose log cannot be read
 * (not started yet) shows the cluster's message instead; a missing pod gives one `Error` entry, as
 * Clouddriver answers. `undefined` when the account or namespace is not this provider's.
 */
export async function consoleOutput(runtime: KubernetesRuntime, account: string, namespace: string, id: string): Promise<ContainerLog[] | undefined> {
  const credentials = runtime.account(account);
  if (!credentials || !accountCoversNamespace(credentials, namespace)) return undefined;
  const match = /^\s*(?:(\S+)\s+)?(\S+)\s*$/.exec(id);
  if (!match || (match[1] !== undefined && match[1].toLowerCase() !== 'pod')) return undefined;
  const client = runtime.client(account);
  const pod = await client.get(POD_KIND, namespace, match[2]!);
  if (!pod) return [{ name: 'Error', output: 'Failed to retrieve pod data; pod may have been deleted.' }];
  const containers: { name: string }[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return Promise.all(
    containers.map(async (container) => {
      try {
        return { name: container.name, output: await client.podLogs(namespace, pod.metadata!.name, container.name) };
      } catch (error) {
        return { name: container.name, output: (error as Error).message };
      }
    }),
  );
}
