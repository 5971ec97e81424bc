/**
 * The city's codes that request schemas check values against: district codes and SOP categories. They come from
 * the validated configuration, which only the composition root loads; it installs them here once per container,
 * as it installs the privacy settings, so the schemas (shared with OpenAPI and the console's types) stay free of
 * config loading. A schema that needs them before they are installed is a wiring fault, not bad input.
 */
export interface ReferenceData {
  districtCodes: readonly string[];
  categories: readonly string[];
}

let installed: ReferenceData | undefined;

export function referenceData(): ReferenceData {
  if (!installed) throw new Error('Reference data not installed: functions/composition.ts installs it at cold start');
  return installed;
}

/** Installs the codes; returns a function that puts the previous ones back (tests). */
export function useReferenceData(data: ReferenceData): () => void {
  const previous = installed;
  installed = { districtCodes: [...data.districtCodes], categories: [...data.categories] };
  return () => {
    installed = previous;
  };
}

/** The codes of a validated configuration. */
export function referenceDataOf(config: { districts: { districts: ReadonlyArray<{ code: string }> }; sops: ReadonlyArray<{ category: string }> }): ReferenceData {
  return { districtCodes: config.districts.districts.map((d) => d.code), categories: config.sops.map((s) => s.category) };
}
