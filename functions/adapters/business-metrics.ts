/**
 * Business figures as CloudWatch embedded metric format (Powertools Metrics): one JSON line on stdout per count,
 * which CloudWatch Logs turns into a metric. No API call, nothing to wait for, nothing to grant.
 *
 * Each count is its own EMF document (`singleMetric`), because its dimensions are its own: a case created by phone
 * for street lights must not share a document with a breach of PWD at level 2. Every document carries the stage
 * (the dashboard's SEARCH filters on it) and Powertools' `service`.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { BUSINESS_METRICS, METRICS_NAMESPACE, type BusinessMetric, type MetricDimensions } from '../shared/business-metrics';
import { logger, maskPersonalData } from '../shared/logger';
import type { BusinessMetrics } from '../usecases/ports';

/** What a dimension value may look like: a code (`street-light`, `PWD`, `sms`, `2`). */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Written instead of a value that is not a code, so a mistake upstream can never put free text in a metric. */
export const NOT_A_CODE = 'not-a-code';

/** A dimension value fit for a metric: a code with nothing that reads as a phone number or an e-mail address. */
export function dimensionValue(value: string): string {
  return CODE.test(value) && maskPersonalData(value) === value ? value : NOT_A_CODE;
}

export class PowertoolsBusinessMetrics implements BusinessMetrics {
  private readonly metrics: Metrics;

  constructor(stage: string, metrics?: Metrics) {
    this.metrics = metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, defaultDimensions: { stage } });
  }

  count<M extends BusinessMetric>(metric: M, dimensions: MetricDimensions<M>): void {
    const { name, dimensions: names } = BUSINESS_METRICS[metric];
    try {
      const single = this.metrics.singleMetric();
      // Only the dimensions the metric is defined with, in that order: the dashboard and alarms name exactly these.
      for (const key of names as readonly string[]) single.addDimension(key, dimensionValue(String((dimensions as Record<string, string>)[key] ?? '')));
      single.addMetric(name, MetricUnit.Count, 1);
    } catch (e) {
      // A figure is not worth failing a case for.
      logger.warn('Business metric not emitted', { metric: name, error: e instanceof Error ? e.name : 'unknown' });
    }
  }
}
