/**
 * A storage adapter's config problem (`sql.connectionPools.default.url: required …`): the message
 * names the key and is all the server prints (it reports these as its own config errors).
 */
export class StorageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageConfigError';
  }
}
