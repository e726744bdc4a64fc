import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** `<hostname>:<pid>:<random>` — unique per process even when two run on one host. */
export function defaultNodeId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
