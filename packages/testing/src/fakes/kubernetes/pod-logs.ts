import { FakeApiError } from './fake-api-error.js';
import type { KubeObject } from './fake-kubernetes-cluster.js';

/** What a container "prints" and how it ends, as {@link runContainerScript} works it out. */
export interface ScriptResult {
  readonly output: string;
  readonly exitCode: number;
}

/**
 * A fake container runtime's whole repertoire: a container whose `command` + `args` is a shell
 * script (`sh -c "…"`, `bash -c "…"`) or a bare `echo …` prints what its `echo`/`printf` commands
 * print and ends with its `exit N` (0 otherwise). Anything else prints nothing and succeeds. That is
 * enough for a Run Job manifest to emit `SPINNAKER_PROPERTY_*` lines or fail on purpose.
 */
export function runContainerScript(container: { command?: unknown; args?: unknown }): ScriptResult {
  const words = [...(Array.isArray(container.command) ? container.command : []), ...(Array.isArray(container.args) ? container.args : [])].map(String);
  let script: string;
  const shell = words.findIndex((w) => w === '-c');
  if (shell >= 0 && /(^|\/)(ba|da|z)?sh$/.test(words[0] ?? '')) script = words.slice(shell + 1).join(' ');
  else if (words[0] === 'echo' || words[0] === '/bin/echo') script = words.map(quoteIfNeeded).join(' ');
  else return { output: '', exitCode: 0 };
  const lines: string[] = [];
  for (const statement of script.split(/\n|;|&&/)) {
    const trimmed = statement.trim();
    let match: RegExpExecArray | null;
    if ((match = /^(?:\/bin\/)?echo\s+(?:-n\s+)?([\s\S]*)$/.exec(trimmed))) lines.push(unquote(match[1]!));
    else if ((match = /^printf\s+([\s\S]*)$/.exec(trimmed))) lines.push(unquote(match[1]!).replace(/\\n$/, ''));
    else if ((match = /^exit\s+(\d+)$/.exec(trimmed))) return { output: joinLines(lines), exitCode: Number(match[1]) };
  }
  return { output: joinLines(lines), exitCode: 0 };
}

const joinLines = (lines: string[]) => (lines.length === 0 ? '' : lines.join('\n') + '\n');
const quoteIfNeeded = (word: string) => (/\s/.test(word) ? `'${word}'` : word);

function unquote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2 && ((trimmed.startsWith("'") && trimmed.endsWith("'")) || (trimmed.startsWith('"') && trimmed.endsWith('"'))))
    return trimmed.slice(1, -1);
  return trimmed;
}

/**
 * The logs of the fake cluster's containers: set by tests (`setPodLog`) or by the Job controller
 * when a pod finishes; otherwise what the container's script prints. Served as the API server
 * serves `GET …/pods/{name}/log?container=`.
 */
export class PodLogs {
  private readonly texts = new Map<string, string>();

  set(namespace: string, pod: string, container: string, text: string): void {
    this.texts.set(`${namespace}/${pod}/${container}`, text);
  }

  /** The log text of one container, with the API server's 400s for an ambiguous or unknown container. */
  read(pod: KubeObject, container: string | null): string {
    const containers: { name: string; command?: unknown; args?: unknown }[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const name = pod.metadata!.name as string;
    let chosen = container;
    if (!chosen) {
      const regular: { name: string }[] = pod.spec?.containers ?? [];
      if (regular.length !== 1) {
        throw new FakeApiError(
          400,
          'BadRequest',
          `a container name must be specified for pod ${name}, choose one of: [${regular.map((c) => c.name).join(' ')}]`,
        );
      }
      chosen = regular[0]!.name;
    }
    const spec = containers.find((c) => c.name === chosen);
    if (!spec) throw new FakeApiError(400, 'BadRequest', `container ${chosen} is not valid for pod ${name}`);
    if (pod.status?.phase === 'Pending')
      throw new FakeApiError(400, 'BadRequest', `container "${chosen}" in pod "${name}" is waiting to start: ContainerCreating`);
    return this.texts.get(`${pod.metadata!.namespace}/${name}/${chosen}`) ?? runContainerScript(spec).output;
  }

  /** Forgets a deleted pod's logs. */
  forget(namespace: string, pod: string): void {
    for (const key of [...this.texts.keys()]) if (key.startsWith(`${namespace}/${pod}/`)) this.texts.delete(key);
  }
}
