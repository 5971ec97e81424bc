import { describe, expect, it } from 'vitest';
import { earlyWarningSettings, EARLY_WARNING_FILE, parseEarlyWarningSettings } from '../../functions/config/early-warning';
import { ConfigError } from '../../functions/domain/errors';
import { DEFAULT_RECURRING_PLACE_RULE } from '../../functions/domain/recurring-places';
import { DEFAULT_SPIKE_THRESHOLDS } from '../../functions/domain/spike-detection';

const file = (over: Record<string, unknown> = {}) => ({
  spike: { defaults: DEFAULT_SPIKE_THRESHOLDS, quietPeriodHours: 6, categories: { noise: { minCount: 9 } } },
  recurringPlaces: { defaults: DEFAULT_RECURRING_PLACE_RULE, categories: { noise: { days: 7 } } },
  ...over,
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('early-warning settings', () => {
  it('gives a category its overrides on top of the city-wide defaults', () => {
    const settings = parseEarlyWarningSettings(file(), ['noise', 'litter']);
    expect(settings.spikeThresholds('noise')).toEqual({ ...DEFAULT_SPIKE_THRESHOLDS, minCount: 9 });
    expect(settings.spikeThresholds('litter')).toEqual(DEFAULT_SPIKE_THRESHOLDS);
    expect(settings.recurringPlaceRule('noise')).toEqual({ ...DEFAULT_RECURRING_PLACE_RULE, days: 7 });
    expect(settings.quietPeriodMs).toBe(6 * 3_600_000);
  });

  it('rejects an override for a category without a SOP, naming the field', () => {
    const error = configError(() => parseEarlyWarningSettings(file(), ['litter']));
    expect(error.file).toBe(EARLY_WARNING_FILE);
    expect(error.problems.map((p) => p.path)).toEqual(['spike.categories.noise', 'recurringPlaces.categories.noise']);
  });

  it('rejects a threshold out of range, naming the field', () => {
    const bad = file({ spike: { defaults: { ...DEFAULT_SPIKE_THRESHOLDS, maxPValue: 1.5 }, quietPeriodHours: 6, categories: {} } });
    expect(configError(() => parseEarlyWarningSettings(bad, ['noise'])).problems[0].path).toBe('spike.defaults.maxPValue');
  });

  it('ships settings that load against the shipped SOPs', () => {
    const settings = earlyWarningSettings();
    expect(settings.spikeThresholds('street-light')).toEqual(DEFAULT_SPIKE_THRESHOLDS);
    expect(settings.recurringPlaceRule('street-light')).toEqual(DEFAULT_RECURRING_PLACE_RULE);
  });
});
