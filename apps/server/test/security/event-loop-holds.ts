import { existsSync, readFileSync } from 'node:fs';
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
 * Watches the event loop of this thread (where the test's server runs) with a short timer. A
 * wall-clock gap between two ticks is the loop being held *or* the thread waiting for a CPU, and
 * on a shared, loaded machine the second dominates. So each gap is also bounded by the CPU time
 * the thread used during it: JavaScript that holds the loop for 1 s burns ~1 s of CPU, while a
 * thread starved for 1 s burns almost none. `min(wall gap, CPU used)` is then an upper bound on the
 * work done in one turn of the loop, and stays honest however slow the machine is. On Linux the
 * CPU time is this thread's own (`/proc/thread-self/stat`, 10 ms steps), elsewhere the process's
 * (GC and compiler threads can only add to it).
 */
export function watchEventLoopHolds(intervalMs = 2): { stop(): EventLoopHolds } {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let lastWall = performance.now();
  let lastCpu = cpuMs();
  let longestHoldMs = 0;
  let longestGapMs = 0;
  let ticks = 0;
  const sample = () => {
    const wall = performance.now();
    const cpu = cpuMs();
    const gapMs = wall - lastWall;
    longestGapMs = Math.max(longestGapMs, gapMs);
    longestHoldMs = Math.max(longestHoldMs, Math.min(gapMs, cpu - lastCpu));
    lastWall = wall;
    lastCpu = cpu;
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

const THREAD_STAT = '/proc/thread-self/stat';
const threadStat = existsSync(THREAD_STAT);

/** CPU time used so far (ms): by this thread where Linux tells (user + system clock ticks of 10 ms), else by the process. */
function cpuMs(): number {
  if (threadStat) {
    // Fields after the command name: state is the 1st, utime the 12th, stime the 13th.
    const stat = readFileSync(THREAD_STAT, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
