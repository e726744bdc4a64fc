import { stratusProject } from '../../vitest.shared.js';

export default stratusProject('@stratus/provider-kit');
