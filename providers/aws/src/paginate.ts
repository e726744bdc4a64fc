/**
 * Collects every page of an SDK v3 paginator (`paginateDescribeX({ client, pageSize }, input)`).
 * Each page call goes through the client's retry strategy, so throttling backs off per page.
 */
export async function collectPages<P, T>(pages: AsyncIterable<P>, pick: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}
