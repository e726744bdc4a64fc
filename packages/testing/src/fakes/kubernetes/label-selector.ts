/**
 * Parses a label selector query string (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`) into a predicate
 * over a label map, as the API server evaluates `?labelSelector=`.
 */
export function parseLabelSelector(selector: string | undefined): (labels: Record<string, string> | undefined) => boolean {
  if (!selector || selector.trim() === '') return () => true;
  const tests: ((labels: Record<string, string>) => boolean)[] = [];
  // Split on commas that are not inside parentheses.
  const parts = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part))) {
      const [, key, op, list] = m;
      const values = new Set(list!.split(',').map((v) => v.trim()));
      tests.push(op === 'in' ? (l) => values.has(l[key!]!) : (l) => !values.has(l[key!]!));
    } else if ((m = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(part))) {
      const [, key, value] = m;
      tests.push((l) => l[key!] !== value);
    } else if ((m = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(part))) {
      const [, key, value] = m;
      tests.push((l) => l[key!] === value);
    } else if ((m = /^!\s*(\S+)$/.exec(part))) {
      const key = m[1]!;
      tests.push((l) => !(key in l));
    } else {
      const key = part;
      tests.push((l) => key in l);
    }
  }
  return (labels) => tests.every((test) => test(labels ?? {}));
}

/** Whether `labels` carry every pair of a `matchLabels`-style map (an empty map selects nothing). */
export function matchesLabels(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/**
 * Parses a field selector (`involvedObject.name=web,metadata.namespace!=kube-system`) into a
 * predicate over an object, as the API server evaluates `?fieldSelector=` (equality only).
 */
export function parseFieldSelector(selector: string | undefined): (object: Record<string, unknown>) => boolean {
  if (!selector || selector.trim() === '') return () => true;
  const tests = selector.split(',').map((part) => {
    const match = /^\s*([^!=\s]+)\s*(!=|==|=)\s*(.*?)\s*$/.exec(part);
    if (!match) throw new Error(`invalid field selector "${part}"`);
    const [, path, op, value] = match;
    const read = (object: Record<string, unknown>) => {
      let node: unknown = object;
      for (const key of path!.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
      return node === undefined || node === null ? '' : String(node);
    };
    return op === '!=' ? (o: Record<string, unknown>) => read(o) !== value : (o: Record<string, unknown>) => read(o) === value;
  });
  return (object) => tests.every((test) => test(object));
}
