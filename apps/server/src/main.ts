// tsyringe needs a Reflect polyfill before any decorated class loads.
import 'reflect-metadata';
import { runCli } from './cli.js';

await runCli(process.argv);
