import { stratusProject } from '../../vitest.shared.js';

// moto_server starts per test file; give its startup room on a busy machine.
export default stratusProject('@stratus/artifacts', { hookTimeout: 120_000 });
