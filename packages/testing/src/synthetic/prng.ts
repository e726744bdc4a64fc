/**
 * A small seeded pseudo-random generator (mulberry32): the same seed always yields the same
 * sequence, so a synthetic cloud or benchmark data set is reproducible run to run.
 */
const HEX = '0123456789abcdef';

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `length` lowercase hex digits, as one flat string (like an id parsed from a cloud API's JSON). */
  hex(length: number): string {
    const digits: string[] = [];
    for (let i = 0; i < length; i++) digits.push(HEX[Math.floor(this.next() * 16)]!);
    return digits.join('');
  }
}

/** Turns any string (an account name, say) into a 32-bit seed, so seeds can be derived per part. */
export function seedFrom(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
