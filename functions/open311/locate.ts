/**
 * Where an Open311 report is: the case needs a district (it decides the district office and the SOP's district
 * overrides) and a human-readable address. Clients send any one of lat/long, address_string or address_id, as
 * the specification allows:
 * - address_string naming a district (`中壢區`, or `Zhongli` in Latin letters) gives that district; a named district
 *   wins over coordinates;
 * - address_id is this jurisdiction's address id: a district code (`zhongli`), optionally followed by `/` and a
 *   local id (`zhongli/12345`), as the discovery document explains;
 * - lat/long inside the city give the district whose boundary holds the point (config/district-boundaries.json,
 *   point in polygon: functions/domain/district-boundaries.ts);
 * - otherwise (an address that names no district, or a point between the simplified polygons) the report is still
 *   accepted: its district is UNPLACED_DISTRICT, routing cannot pick a department for it, and the workflow puts it
 *   in the 1999 dispatch desk's queue, where a person reads the address and assigns it.
 */
import type { CaseLocation } from '../domain/case';
import { districtAt, type DistrictBoundary } from '../domain/district-boundaries';
import { UNPLACED_DISTRICT } from '../domain/sop';
import { badRequest } from './errors';

/** The city's bounding box: a pin outside it is not ours to fix. */
export const CITY_BOUNDS = { lat: { min: 24.58, max: 25.14 }, lng: { min: 120.98, max: 121.5 } } as const;

export const MAX_ADDRESS_LENGTH = 200;
const NUMBER = /^-?\d{1,3}(\.\d+)?$/;

/**
 * The city as Open311 needs to know it: its name, its districts' names and their boundaries. The composition root
 * builds it from the validated configuration (places()); tests hand in the same.
 */
export interface Places {
  city: { zh: string; en: string };
  districts: ReadonlyArray<{ code: string; name: { zh: string; en: string } }>;
  boundaries: readonly DistrictBoundary[];
}

/** The places of a validated configuration and its district boundaries. */
export function placesOf(config: { districts: Omit<Places, 'boundaries'> }, boundaries: readonly DistrictBoundary[]): Places {
  return { city: config.districts.city, districts: config.districts.districts, boundaries };
}

export interface LocationInput {
  lat?: string;
  long?: string;
  address_string?: string;
  address_id?: string;
}

export function locate(input: LocationInput, places: Places): CaseLocation {
  const lat = blankToUndefined(input.lat);
  const long = blankToUndefined(input.long);
  const addressString = blankToUndefined(input.address_string);
  const addressId = blankToUndefined(input.address_id);
  if (lat === undefined && long === undefined && addressString === undefined && addressId === undefined)
    throw badRequest('location: send lat and long, address_string or address_id');
  if ((lat === undefined) !== (long === undefined)) throw badRequest(`${lat === undefined ? 'lat' : 'long'}: lat and long must be sent together`);
  if (addressString !== undefined && addressString.length > MAX_ADDRESS_LENGTH)
    throw badRequest(`address_string: must be at most ${MAX_ADDRESS_LENGTH} characters`);

  const point = lat !== undefined && long !== undefined ? parsePoint(lat, long, places) : undefined;
  const named = addressString !== undefined ? districtNamedIn(addressString, places) : undefined;
  const byId = addressId !== undefined ? districtOfAddressId(addressId, places) : undefined;
  const district = named ?? byId ?? (point ? districtAt(point, places.boundaries) : undefined) ?? UNPLACED_DISTRICT;

  const name = district === UNPLACED_DISTRICT ? places.city.zh : districtName(district, places);
  const address = addressString ?? (point ? `${name}（${point.lat.toFixed(5)}, ${point.lng.toFixed(5)}）` : `${name}（address_id ${addressId}）`);
  return { district, address, ...(point ? { lat: point.lat, lng: point.lng } : {}) };
}

function parsePoint(lat: string, long: string, { city }: Places): { lat: number; lng: number } {
  const problems: string[] = [];
  if (!NUMBER.test(lat)) problems.push('lat: must be a decimal latitude (WGS84)');
  if (!NUMBER.test(long)) problems.push('long: must be a decimal longitude (WGS84)');
  if (problems.length) throw badRequest(...problems);
  const point = { lat: Number(lat), lng: Number(long) };
  if (point.lat < CITY_BOUNDS.lat.min || point.lat > CITY_BOUNDS.lat.max || point.lng < CITY_BOUNDS.lng.min || point.lng > CITY_BOUNDS.lng.max)
    throw badRequest(`lat/long: ${lat}, ${long} is not within ${city.zh} (${city.en})`);
  return point;
}

/** The district an address names: its Chinese name (`中壢區`) or its English name (`Zhongli`). */
export function districtNamedIn(address: string, { city, districts }: Places): string | undefined {
  // "Zhongli District, Taoyuan City" names Zhongli, not the Taoyuan district: the city's name is not a district.
  const lower = address.toLowerCase().split(city.en.toLowerCase()).join(' ');
  for (const d of districts) {
    if (address.includes(d.name.zh)) return d.code;
    const en = d.name.en.replace(/\s+District$/i, '').toLowerCase();
    if (new RegExp(`\\b${en}\\b`).test(lower)) return d.code;
  }
  return undefined;
}

function districtOfAddressId(addressId: string, { districts }: Places): string {
  const code = addressId.split('/')[0].trim().toLowerCase();
  if (!districts.some((d) => d.code === code))
    throw badRequest(`address_id: must start with a district code (${districts.map((d) => d.code).join(', ')}), e.g. zhongli/12345`);
  return code;
}

export function districtName(code: string, { districts }: Places): string {
  return districts.find((d) => d.code === code)?.name.zh ?? code;
}

function blankToUndefined(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}
