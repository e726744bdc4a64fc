import { runSchedulerContract } from '@stratus/testing';
import { SingleNodeScheduler } from './single-node-scheduler.js';

runSchedulerContract('single-node', async (options) => {
  const scheduler = new SingleNodeScheduler(options);
  return { scheduler, cleanup: () => scheduler.stop(100) };
});
