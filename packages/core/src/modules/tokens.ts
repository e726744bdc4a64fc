import { createToken } from '@stratus/plugin-api';
import type { Lifecycle } from './lifecycle.js';

/** The server's lifecycle: modules add start, reload and shutdown hooks to it. */
export const LIFECYCLE = createToken<Lifecycle>('core.lifecycle');
