/** Longest message kept; longer ones are cut (a body pasted into a message is usually long). */
const MAX_LENGTH = 300;

/**
 * An error message safe to show to API callers (introspection's `lastError`, account problems):
 * its first line only (YAML and JSON parsers append the offending lines of the file after it),
 * without what HTTP clients append after `Body:` / `response:` (the remote answer), with quoted
 * excerpts longer than a few words replaced (`Unexpected token … "<file text>" is not valid JSON`),
 * and at most 300 characters. The full error still goes to the server log.
 */
export function redactErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let line = message.split(/\r?\n/, 1)[0] ?? '';
  line = line.replace(/\b(body|response body|response|data|content|contents)\s*[:=].*$/i, '$1: [redacted]');
  line = line.replace(/(["'`])([^"'`]{24,})\1/g, '$1[redacted]$1');
  if (line.length > MAX_LENGTH) line = `${line.slice(0, MAX_LENGTH)}…`;
  return line.trim() || (error instanceof Error ? error.name : 'error');
}
