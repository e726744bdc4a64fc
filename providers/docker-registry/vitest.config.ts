import { stratusProject } from '../../vitest.shared.js';

export default stratusProject('@stratus/provider-docker-registry');
