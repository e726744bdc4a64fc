import { stratusProject } from '../../vitest.shared.js';

// moto_server and the server process start per test file; give their startup room on a busy machine.
export default stratusProject('@stratus/provider-aws', { hookTimeout: 180_000 });
