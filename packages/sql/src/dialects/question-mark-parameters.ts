/** `?, ?, …` for `count` parameters: the placeholders of MySQL and SQLite, which bind by position. */
export function questionMarks(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}
