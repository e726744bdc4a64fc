/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

/** Thrown for a patch that cannot be applied; the server answers 422 (or 400 for a malformed one). */
export class JsonPatchError extends Error {}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, tokens: string[], path: string): { parent: any; key: string } {
  let node: any = doc;
  for (const token of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : node?.[token];
    if (node === undefined || node === null || typeof node !== 'object') throw new JsonPatchError(`path "${path}" does not exist`);
  }
  return { parent: node, key: tokens[tokens.length - 1]! };
}

function read(doc: unknown, path: string): unknown {
  let node: any = doc;
  for (const token of parsePointer(path)) {
    if (node === null || typeof node !== 'object' || !(token in node)) throw new JsonPatchError(`path "${path}" does not exist`);
    node = node[token];
  }
  return node;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new JsonPatchError(`index "${key}" out of range in "${path}"`);
    parent.splice(index, 0, value);
  } else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) throw new JsonPatchError(`index "${key}" out of range in "${path}"`);
    parent.splice(index, 1);
  } else {
    if (!(key in parent)) throw new JsonPatchError(`path "${path}" does not exist`);
    delete parent[key];
  }
  return doc;
}

/** Applies RFC 6902 operations to a copy of `document`. */
export function applyJsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new JsonPatchError('a JSON patch must be an array of operations');
  let doc = structuredClone(document);
  for (const operation of operations as JsonPatchOperation[]) {
    if (typeof operation?.path !== 'string') throw new JsonPatchError('every operation needs a "path"');
    switch (operation.op) {
      case 'add':
        doc = add(doc, operation.path, structuredClone(operation.value));
        break;
      case 'remove':
        doc = remove(doc, operation.path);
        break;
      case 'replace':
        read(doc, operation.path);
        doc = add(remove(doc, operation.path), operation.path, structuredClone(operation.value));
        break;
      case 'move': {
        const value = read(doc, operation.from ?? '');
        doc = add(remove(doc, operation.from ?? ''), operation.path, value);
        break;
      }
      case 'copy':
        doc = add(doc, operation.path, structuredClone(read(doc, operation.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(read(doc, operation.path)) !== JSON.stringify(operation.value)) {
          throw new JsonPatchError(`test failed at "${operation.path}"`);
        }
        break;
      default:
        throw new JsonPatchError(`unknown op "${(operation as { op?: unknown }).op}"`);
    }
  }
  return doc;
}
