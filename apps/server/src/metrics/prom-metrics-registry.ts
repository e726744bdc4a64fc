import type { CounterMetric, GaugeMetric, HistogramMetric, MetricsRegistry } from '@stratus/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const PREFIX = 'stratus_';

/**
 * {@link MetricsRegistry} over its own prom-client `Registry` (never the global default, so two
 * servers in one process — as in tests — do not collide). Asking again for a name returns the
 * metric created first; a name must keep its kind and labels.
 */
export class PromMetricsRegistry implements MetricsRegistry {
  readonly registry = new Registry();
  private readonly metrics = new Map<string, Counter | Histogram | Gauge>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): CounterMetric {
    const counter = this.getOrCreate(name, () => new Counter({ name: PREFIX + name, help, labelNames, registers: [this.registry] }));
    return { inc: (labels = {}, value = 1) => counter.inc({ ...labels }, value) };
  }

  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets?: readonly number[]): HistogramMetric {
    const histogram = this.getOrCreate(
      name,
      () => new Histogram({ name: PREFIX + name, help, labelNames, registers: [this.registry], ...(buckets ? { buckets: [...buckets] } : {}) }),
    );
    return {
      observe: (labels, value) => histogram.observe({ ...labels }, value),
      startTimer: (labels = {}) => {
        const end = histogram.startTimer({ ...labels });
        return (more = {}) => end({ ...more });
      },
    };
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): GaugeMetric {
    const gauge = this.getOrCreate(name, () => new Gauge({ name: PREFIX + name, help, labelNames, registers: [this.registry] }));
    return { set: (labels, value) => gauge.set({ ...labels }, value) };
  }

  /** The Prometheus text exposition of every metric. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private getOrCreate<M extends Counter | Histogram | Gauge>(name: string, create: () => M): M {
    const existing = this.metrics.get(name);
    if (existing) return existing as M;
    const created = create();
    this.metrics.set(name, created);
    return created;
  }
}
