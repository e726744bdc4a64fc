const PROPERTY_MARKER = 'SPINNAKER_PROPERTY_';
const JSON_MARKER = /^\s*SPINNAKER_CONFIG_JSON=/;

/**
 * The output properties of a job's log, as Clouddriver's `PropertyParser` reads them: every line
 * containing `SPINNAKER_PROPERTY_` that splits on `=` into exactly two non-empty parts gives
 * `key → value` (the first `SPINNAKER_PROPERTY_` removed from the key, which is lower-cased;
 * both trimmed), and a line starting with `SPINNAKER_CONFIG_JSON=` merges in its JSON object.
 * Throws on malformed JSON (the caller then answers with no properties, as Clouddriver does).
 */
export function extractPropertiesFromLog(log: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const lines = log
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  for (const line of lines) {
    if (line.includes(PROPERTY_MARKER)) {
      const parts = line
        .split('=')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      if (parts.length === 2) properties[parts[0]!.replace(PROPERTY_MARKER, '').toLowerCase()] = parts[1]!;
    }
    if (JSON_MARKER.test(line)) {
      const parsed: unknown = JSON.parse(line.replace('SPINNAKER_CONFIG_JSON=', ''));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(properties, parsed);
      else throw new Error('SPINNAKER_CONFIG_JSON must hold a JSON object');
    }
  }
  return properties;
}
