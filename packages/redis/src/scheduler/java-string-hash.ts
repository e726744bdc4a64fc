/** Java's `String.hashCode` (31-based over UTF-16 units, 32-bit wrap), so shards match Clouddriver's. */
export function javaStringHash(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  return hash;
}
