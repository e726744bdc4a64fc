/** The logger handed to providers: a subset of pino's interface. */
export interface Logger {
  /** Logs at debug level; `obj` is structured context (or the message itself). */
  debug(obj: unknown, msg?: string): void;
  /** Logs at info level. */
  info(obj: unknown, msg?: string): void;
  /** Logs at warn level. */
  warn(obj: unknown, msg?: string): void;
  /** Logs at error level; put an error under `err`. */
  error(obj: unknown, msg?: string): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

/** A logger that drops everything; handy in tests. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
