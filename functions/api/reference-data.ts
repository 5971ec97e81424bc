import type { DistrictBoundary } from '../domain/district-boundaries';

/**
 * The city's codes that request schemas check values against: district codes and SOP categories, and the
 * districts' boundaries a map point must fall within. They come from
 * the validated configuration, which only the composition root loads; it installs them here once per container,
 * as it installs the privacy settings, so the schemas (shared with OpenAPI and the console's types) stay free of
 * config loading. A schema that needs them before they are installed is a wiring fault, not bad input.
 */
export interface ReferenceData {
  districtCodes: readonly string[];
  categories: readonly string[];
  /** When installed, a case's map point must lie inside one of these (the city); without them any point in Taiwan passes. */
  districtBoundaries?: readonly DistrictBoundary[];
}

let installed: ReferenceData | undefined;

export function referenceData(): ReferenceData {
  if (!installed) throw new Error('Reference data not installed: functions/composition.ts installs it at cold start');
  return installed;
}

/** Installs the codes; returns a function that puts the previous ones back (tests). */
export function useReferenceData(data: ReferenceData): () => void {
  const previous = installed;
  installed = { districtCodes: [...data.districtCodes], categories: [...data.categories], ...(data.districtBoundaries ? { districtBoundaries: data.districtBoundaries } : {}) };
  return () => {
    installed = previous;
  };
}

/** The codes of a validated configuration, and the districts' boundaries when given. */
export function referenceDataOf(
  config: { districts: { districts: ReadonlyArray<{ code: string }> }; sops: ReadonlyArray<{ category: string }> },
  districtBoundaries?: readonly DistrictBoundary[],
): ReferenceData {
  return { districtCodes: config.districts.districts.map((d) => d.code), categories: config.sops.map((s) => s.category), ...(districtBoundaries ? { districtBoundaries } : {}) };
}
