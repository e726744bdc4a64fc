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
