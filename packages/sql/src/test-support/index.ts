export { createTestDatabase, TEST_SERVER_URLS, type TestDatabase } from './test-database.js';
export { TcpProxy } from './tcp-proxy.js';
export { testDialects } from './dialects.js';
