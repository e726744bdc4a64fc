import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What {@link watchEventLoopHolds} saw between start and stop. */
export interface EventLoopHolds {
  /** Longest time the loop was held, bounded by the CPU time this process used in that gap (ms). */
  longestHoldMs: number;
  /** Longest wall-clock gap between two timer ticks (ms): includes time the OS gave this process no CPU. */
  longestGapMs: number;
  /** The same through `monitorEventLoopDelay` (ms), for comparison with the server's own gauge. */
  delayMaxMs: number;
  ticks: number;
}

/**
 * Watches the event loop of this process (where the test's server runs) with a short timer. A
 * wall-clock gap between two ticks is the loop being held *or* the process waiting for a CPU, and
 * on a shared, loaded machine the second dominates. So each gap is also bounded by the CPU time the
 * process used during it: JavaScript that holds the loop for 1 s burns ~1 s of CPU, while a process
 * starved for 1 s burns almost none. `min(wall gap, CPU used)` is then an upper bound on the work
 * done in one turn of the loop (other threads of the process, GC helpers, can only add to it), and
 * stays honest however slow the machine is.
 */
export function watchEventLoopHolds(intervalMs = 2): { stop(): EventLoopHolds } {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let lastWall = performance.now();
  let lastCpu = process.cpuUsage();
  let longestHoldMs = 0;
  let longestGapMs = 0;
  let ticks = 0;
  const sample = () => {
    const wall = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const gapMs = wall - lastWall;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    longestGapMs = Math.max(longestGapMs, gapMs);
    longestHoldMs = Math.max(longestHoldMs, Math.min(gapMs, cpuMs));
    lastWall = wall;
    lastCpu = process.cpuUsage();
    ticks++;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      sample();
      clearInterval(timer);
      histogram.disable();
      return { longestHoldMs, longestGapMs, delayMaxMs: histogram.max / 1e6, ticks };
    },
  };
}
