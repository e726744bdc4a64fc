import { runSchedulerContract } from '@stratus/testing';
import { SingleNodeScheduler } from './single-node-scheduler.js';

runSchedulerContract('single-node', async ({ maxConcurrentAgents }) => {
  const scheduler = new SingleNodeScheduler({ maxConcurrentAgents });
  return { scheduler, cleanup: () => scheduler.stop(100) };
});
