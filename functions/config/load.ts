/**
 * The one config loader. Reads the four files in `config/` (bundled as JSON imports, so Lambda, the local cloud
 * and synth see the same data) and validates them (functions/config/validate.ts), so synth and cold start stop
 * before a case is routed to a department that does not exist. Only the composition root, infra and the local
 * cloud call it; everything else gets the configuration passed in.
 */
import { operationsFileSchema, type Department, type DistrictsFile, type OperationsFile, type Sop } from './schema';
import { CONFIG_FILES, parseConfig, validateConfig, type Config, type RawConfigFiles } from './validate';
import departmentsJson from '../../config/departments.json' with { type: 'json' };
import sopsJson from '../../config/sops.json' with { type: 'json' };
import calendarJson from '../../config/calendar.json' with { type: 'json' };
import districtsJson from '../../config/districts.json' with { type: 'json' };
import operationsJson from '../../config/operations.json' with { type: 'json' };
import districtBoundariesJson from '../../config/district-boundaries.json' with { type: 'json' };
import type { DistrictBoundary } from '../domain/district-boundaries';
import { districtBoundariesFileSchema } from './schema';
import publicHolidaysJson from '../../config/public-holidays.json' with { type: 'json' };
import { publicHolidaysFrom, SlaCalendar, type HolidaySource } from '../domain/sla-calendar';

export * from './validate';

/** The shipped files, as bundled. */
export const SHIPPED_CONFIG: RawConfigFiles = {
  departments: departmentsJson,
  sops: sopsJson,
  calendar: calendarJson,
  districts: districtsJson,
};

let cached: Config | undefined;

/** The validated configuration (cached per process / Lambda container). */
export function loadConfig(): Config {
  cached ??= validateConfig(SHIPPED_CONFIG);
  return cached;
}

/** The national public holidays generated at build time (`npm run generate:holidays`). */
export function shippedPublicHolidays(): HolidaySource {
  return publicHolidaysFrom(publicHolidaysJson);
}

/** The SLA calendar of the shipped config and holidays. */
export function shippedCalendar(): SlaCalendar {
  return new SlaCalendar(loadConfig().calendar, shippedPublicHolidays());
}

/** `config/operations.json`, validated; `raw` lets tests pass broken copies. */
export function loadOperationsConfig(raw: unknown = operationsJson): OperationsFile {
  return parseConfig(CONFIG_FILES.operations, operationsFileSchema, raw);
}

export function departmentByCode(code: string): Department | undefined {
  return loadConfig().departments.departments.find((d) => d.code === code);
}

export function sopByCategory(category: string): Sop | undefined {
  return loadConfig().sops.find((s) => s.category === category);
}

let boundaries: DistrictBoundary[] | undefined;

/**
 * The districts' boundary polygons (`config/district-boundaries.json`: the Institute of Transportation's town
 * boundaries as simplified by g0v twgeojson; see docs/open311.md for the attribution), checked to cover exactly
 * the configured districts.
 */
export function shippedDistrictBoundaries(): DistrictBoundary[] {
  if (boundaries) return boundaries;
  const file = parseConfig(CONFIG_FILES.districtBoundaries, districtBoundariesFileSchema, districtBoundariesJson);
  const codes = file.features.map((f) => f.properties.code).sort();
  const configured = loadConfig().districts.districts.map((d) => d.code).sort();
  if (codes.join() !== configured.join()) throw new Error(`config/district-boundaries.json covers ${codes.join(', ')}; config/districts.json has ${configured.join(', ')}`);
  boundaries = file.features.map((f) => ({
    code: f.properties.code,
    polygons: f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates,
  }));
  return boundaries;
}

export function districtByCode(code: string): DistrictsFile['districts'][number] | undefined {
  return loadConfig().districts.districts.find((d) => d.code === code);
}

export function isKnownDistrict(code: string): boolean {
  return districtByCode(code) !== undefined;
}

/** Departments that receive dispatched cases (not RDEC / MAYOR). */
export function dispatchDepartments(): Department[] {
  return loadConfig().departments.departments.filter((d) => d.receivesCases);
}
