/** Java's `String.hashCode`, so repositories land in the same shard as in Clouddriver. */
export function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** Whether `repository` belongs to shard `index` of `count` (Clouddriver: `abs(hashCode % count) == index`). */
export function inShard(repository: string, index: number, count: number): boolean {
  return count <= 1 || Math.abs(javaHashCode(repository) % count) === index;
}
