import type { DistrictBoundary } from '../domain/district-boundaries';

/**
 * The city's codes that request schemas check values against: district codes and SOP categories, and the
 * districts' boundaries a map point must fall within. They come from the validated configuration, which only the
 * composition root loads; it installs them here once per container (read when a schema first needs them), as it
 * installs the privacy settings, so the schemas (shared with OpenAPI and the console's types) stay free of config
 * loading. A schema that needs them before they are installed is a wiring fault, not bad input.
 */
export interface ReferenceData {
  districtCodes: readonly string[];
  categories: readonly string[];
  /** When installed, a case's map point must lie inside one of these (the city); without them any point in Taiwan passes. */
  districtBoundaries?: readonly DistrictBoundary[];
}

let installed: ReferenceData | (() => ReferenceData) | undefined;

export function referenceData(): ReferenceData {
  if (!installed) throw new Error('Reference data not installed: the HTTP pipeline installs it (functions/composition.ts) when it builds a handler');
  if (typeof installed === 'function') installed = copyOf(installed());
  return installed;
}

/**
 * Installs the codes, or how to get them: then the first schema that checks a code gets them (the composition root
 * validates the config then, not at every cold start). Returns a function that puts the previous ones back (tests).
 */
export function useReferenceData(data: ReferenceData | (() => ReferenceData)): () => void {
  const previous = installed;
  installed = typeof data === 'function' ? data : copyOf(data);
  return () => {
    installed = previous;
  };
}

function copyOf(data: ReferenceData): ReferenceData {
  return { districtCodes: [...data.districtCodes], categories: [...data.categories], ...(data.districtBoundaries ? { districtBoundaries: data.districtBoundaries } : {}) };
}

/** The codes of a validated configuration, and the districts' boundaries when given. */
export function referenceDataOf(
  config: { districts: { districts: ReadonlyArray<{ code: string }> }; sops: ReadonlyArray<{ category: string }> },
  districtBoundaries?: readonly DistrictBoundary[],
): ReferenceData {
  return { districtCodes: config.districts.districts.map((d) => d.code), categories: config.sops.map((s) => s.category), ...(districtBoundaries ? { districtBoundaries } : {}) };
}
