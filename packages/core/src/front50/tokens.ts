import { createToken } from '@stratus/plugin-api';
import type { Front50Client } from './front50-client.js';

/** The Front50 client; registered only when `services.front50.enabled` (absent otherwise). */
export const FRONT50_CLIENT = createToken<Front50Client>('core.front50.client');
