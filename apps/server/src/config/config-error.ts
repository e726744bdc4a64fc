/** A configuration problem; its message names the offending key and why, and is all startup prints. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
