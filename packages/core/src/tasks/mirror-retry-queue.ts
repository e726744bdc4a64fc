import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Task ids whose copy in a dual-write repository's second store is behind, waiting for a retry.
 * Bounded: when full, `add` refuses (the caller counts the task as diverged for good, to be fixed by
 * `stratus migrate tasks`). Durable when given a file: ids survive a restart and are retried then.
 * A retry re-reads the task from the authoritative store, so only the id needs keeping.
 */
export class MirrorRetryQueue {
  private readonly pending = new Set<string>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly capacity: number,
    /** JSON file holding the ids; undefined keeps them in memory only (lost on restart). */
    readonly file?: string,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`retry queue capacity must be a positive integer, got ${capacity}`);
    if (file) {
      let text: string | undefined;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (text) {
        const ids = JSON.parse(text) as unknown;
        if (!Array.isArray(ids)) throw new Error(`${file}: expected a JSON array of task ids`);
        for (const id of ids.slice(0, capacity)) if (typeof id === 'string') this.pending.add(id);
      }
    }
  }

  get durable(): boolean {
    return this.file !== undefined;
  }

  get size(): number {
    return this.pending.size;
  }

  ids(): string[] {
    return [...this.pending];
  }

  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** Queues an id (once); false when the queue is full and the id was not already in it. */
  async add(id: string): Promise<boolean> {
    if (this.pending.has(id)) return true;
    if (this.pending.size >= this.capacity) return false;
    this.pending.add(id);
    await this.persist();
    return true;
  }

  async remove(id: string): Promise<void> {
    if (this.pending.delete(id)) await this.persist();
  }

  /** Writes the whole set (small: only failures land here) through a temp file and a rename, one write at a time. */
  private persist(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    // A failed write (disk full) must not wedge every later one: each write starts fresh.
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => {
        mkdirSync(dirname(file), { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify([...this.pending]));
        renameSync(temp, file);
      });
    return this.writing;
  }
}
