/**
 * The business figures the functions emit (CloudWatch embedded metric format, written with the log line, no API
 * call) and the operations dashboard shows: one definition for both. Dimensions are codes from the domain
 * (channel, category, department, level), never anything about a person.
 */
export const METRICS_NAMESPACE = 'CityDesk1999';

export const BUSINESS_METRICS = {
  casesCreated: { name: 'CasesCreated', dimensions: ['channel', 'category'] },
  slaBreaches: { name: 'SlaBreaches', dimensions: ['department', 'level'] },
  escalations: { name: 'Escalations', dimensions: ['level'] },
  citizenNoticesSent: { name: 'CitizenNoticesSent', dimensions: ['channel'] },
  citizenNoticesFailed: { name: 'CitizenNoticesFailed', dimensions: ['channel'] },
  smsCapsReached: { name: 'SmsCapsReached', dimensions: [] },
  surveysSatisfied: { name: 'SurveysSatisfied', dimensions: [] },
  surveysUnsatisfied: { name: 'SurveysUnsatisfied', dimensions: [] },
  workflowRepairs: { name: 'WorkflowRepairs', dimensions: [] },
} as const satisfies Record<string, { name: string; dimensions: readonly string[] }>;

export type BusinessMetric = keyof typeof BUSINESS_METRICS;

/** The dimensions one count of `M` carries, each a code (`{ channel: 'phone', category: 'street-light' }`). */
export type MetricDimensions<M extends BusinessMetric> = { [K in (typeof BUSINESS_METRICS)[M]['dimensions'][number]]: string };
