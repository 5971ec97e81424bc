/**
 * Early-warning settings (`config/early-warning.json`): the spike test's thresholds and the recurring-place rule,
 * city-wide defaults with overrides per SOP category. Validated like every config file; an override for a
 * category that has no SOP stops the load.
 */
import * as z from 'zod';
import settingsJson from '../../config/early-warning.json' with { type: 'json' };
import { ConfigError } from '../domain/errors';
import type { RecurringPlaceRule } from '../domain/recurring-places';
import type { SpikeThresholds } from '../domain/spike-detection';
import { loadConfig, parseConfig } from './load';

export const EARLY_WARNING_FILE = 'config/early-warning.json';

const spikeThresholdsSchema = z.object({
  windowHours: z.number().int().min(1).max(24),
  baselineDays: z.number().int().min(1).max(52),
  maxLookbackWeeks: z.number().int().min(1).max(52),
  minCount: z.number().int().min(1),
  maxPValue: z.number().gt(0).lt(1),
});
const recurringPlaceRuleSchema = z.object({
  times: z.number().int().min(2),
  days: z.number().gt(0).max(366),
  distanceMeters: z.number().min(0).max(5000),
});

export const earlyWarningFileSchema = z.object({
  spike: z.object({
    defaults: spikeThresholdsSchema,
    /** Hours without a positive finding that end an episode (the next finding raises a new warning). */
    quietPeriodHours: z.number().gt(0).max(24 * 30),
    categories: z.record(z.string(), spikeThresholdsSchema.partial()).default({}),
  }),
  recurringPlaces: z.object({
    defaults: recurringPlaceRuleSchema,
    categories: z.record(z.string(), recurringPlaceRuleSchema.partial()).default({}),
  }),
});
export type EarlyWarningFile = z.infer<typeof earlyWarningFileSchema>;

export interface EarlyWarningSettings {
  spikeThresholds(category: string): SpikeThresholds;
  recurringPlaceRule(category: string): RecurringPlaceRule;
  quietPeriodMs: number;
}

export function parseEarlyWarningSettings(data: unknown, categories: readonly string[]): EarlyWarningSettings {
  const file = parseConfig(EARLY_WARNING_FILE, earlyWarningFileSchema, data);
  const known = new Set(categories);
  const problems = [
    ...Object.keys(file.spike.categories).filter((c) => !known.has(c)).map((c) => ({ path: `spike.categories.${c}`, message: `"${c}" is not a SOP category` })),
    ...Object.keys(file.recurringPlaces.categories).filter((c) => !known.has(c)).map((c) => ({ path: `recurringPlaces.categories.${c}`, message: `"${c}" is not a SOP category` })),
  ];
  if (problems.length) throw new ConfigError(EARLY_WARNING_FILE, problems);
  return {
    spikeThresholds: (category) => ({ ...file.spike.defaults, ...file.spike.categories[category] }),
    recurringPlaceRule: (category) => ({ ...file.recurringPlaces.defaults, ...file.recurringPlaces.categories[category] }),
    quietPeriodMs: file.spike.quietPeriodHours * 3_600_000,
  };
}

let cached: EarlyWarningSettings | undefined;

/** The shipped settings, checked against the shipped SOPs once per process. */
export function earlyWarningSettings(): EarlyWarningSettings {
  cached ??= parseEarlyWarningSettings(settingsJson, loadConfig().sops.map((s) => s.category));
  return cached;
}
