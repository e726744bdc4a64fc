/** `fields` of `record`, in that order (a field the record lacks is set to undefined, which JSON leaves out). */
export function pickFields(record: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, record[field]]));
}
