import { StorageConfigError } from '@stratus/core';
import { ConfigError } from './config-error.js';

/** Runs `run`; a store's config problem (`StorageConfigError`) becomes the server's own config error (one line, no stack). */
export async function asConfigError<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof StorageConfigError ? new ConfigError(error.message) : error;
  }
}
