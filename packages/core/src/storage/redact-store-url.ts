/** A store URL with its password replaced by `***` (`postgres://user:***@host/db`), for logs and reports. */
export function redactStoreUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
