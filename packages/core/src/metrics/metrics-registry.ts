import { createToken } from '@stratus/plugin-api';

/** A monotonically increasing count. */
export interface CounterMetric {
  inc(labels?: Readonly<Record<string, string>>, value?: number): void;
}

/** A distribution of observed values (seconds for durations). */
export interface HistogramMetric {
  observe(labels: Readonly<Record<string, string>>, value: number): void;
  /** Starts a timer; calling the returned function observes the elapsed seconds. */
  startTimer(labels?: Readonly<Record<string, string>>): (moreLabels?: Readonly<Record<string, string>>) => number;
}

/** A value that goes up and down. */
export interface GaugeMetric {
  set(labels: Readonly<Record<string, string>>, value: number): void;
}

/**
 * The metrics services use, without depending on prom-client. The server backs it with a
 * prom-client registry served on `GET /metrics`. Asking twice for the same name returns the same
 * metric, so callers may ask at the point of use; names are prefixed `stratus_` by the server.
 */
export interface MetricsRegistry {
  counter(name: string, help: string, labelNames?: readonly string[]): CounterMetric;
  histogram(name: string, help: string, labelNames?: readonly string[], buckets?: readonly number[]): HistogramMetric;
  gauge(name: string, help: string, labelNames?: readonly string[]): GaugeMetric;
}

/** Records nothing; for tests and tools that have no metrics endpoint. */
export const NOOP_METRICS: MetricsRegistry = {
  counter: () => ({ inc() {} }),
  histogram: () => ({ observe() {}, startTimer: () => () => 0 }),
  gauge: () => ({ set() {} }),
};

/** The server's metrics registry. */
export const METRICS = createToken<MetricsRegistry>('core.metrics');
