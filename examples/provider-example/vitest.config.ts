import { stratusProject } from '../../vitest.shared.js';

export default stratusProject('@acme/stratus-provider-example');
