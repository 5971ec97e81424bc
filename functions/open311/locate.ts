/**
 * Where an Open311 report is: the case needs a district (it decides the district office and the SOP's district
 * overrides) and a human-readable address. Clients send one of lat/long, address_string or address_id:
 * - address_string naming a district (`中壢區`, or `Zhongli` in Latin letters) gives that district;
 * - lat/long inside the city gives the district whose centre is nearest. District boundaries are not in our
 *   configuration, so this is an approximation near borders; a wrongly routed case is returned by the
 *   department and re-routed by dispatch, as with any other channel. A named district wins over coordinates;
 * - address_id is this jurisdiction's address id: a district code (`zhongli`), optionally followed by `/` and a
 *   local id (`zhongli/12345`), as the discovery document explains.
 */
import { loadConfig } from '../config/load';
import type { CaseLocation } from '../domain/case';
import { badRequest } from './errors';

/** Approximate centres (WGS84) of Taoyuan's districts. Every configured district needs one (tested). */
export const DISTRICT_CENTRES: Readonly<Record<string, { lat: number; lng: number }>> = {
  taoyuan: { lat: 24.99, lng: 121.305 },
  zhongli: { lat: 24.965, lng: 121.225 },
  pingzhen: { lat: 24.93, lng: 121.215 },
  bade: { lat: 24.935, lng: 121.29 },
  yangmei: { lat: 24.91, lng: 121.14 },
  luzhu: { lat: 25.06, lng: 121.28 },
  daxi: { lat: 24.86, lng: 121.29 },
  longtan: { lat: 24.845, lng: 121.22 },
  guishan: { lat: 25.02, lng: 121.36 },
  dayuan: { lat: 25.06, lng: 121.195 },
  guanyin: { lat: 25.03, lng: 121.1 },
  xinwu: { lat: 24.96, lng: 121.07 },
  fuxing: { lat: 24.72, lng: 121.38 },
};

/** The city's bounding box: a pin outside it is not ours to fix. */
export const CITY_BOUNDS = { lat: { min: 24.58, max: 25.14 }, lng: { min: 120.98, max: 121.5 } } as const;

export const MAX_ADDRESS_LENGTH = 200;
const NUMBER = /^-?\d{1,3}(\.\d+)?$/;

export interface LocationInput {
  lat?: string;
  long?: string;
  address_string?: string;
  address_id?: string;
}

export function locate(input: LocationInput): CaseLocation {
  const lat = blankToUndefined(input.lat);
  const long = blankToUndefined(input.long);
  const addressString = blankToUndefined(input.address_string);
  const addressId = blankToUndefined(input.address_id);
  if (lat === undefined && long === undefined && addressString === undefined && addressId === undefined)
    throw badRequest('location: send lat and long, address_string or address_id');
  if ((lat === undefined) !== (long === undefined)) throw badRequest(`${lat === undefined ? 'lat' : 'long'}: lat and long must be sent together`);
  if (addressString !== undefined && addressString.length > MAX_ADDRESS_LENGTH)
    throw badRequest(`address_string: must be at most ${MAX_ADDRESS_LENGTH} characters`);

  const point = lat !== undefined && long !== undefined ? parsePoint(lat, long) : undefined;
  const named = addressString !== undefined ? districtNamedIn(addressString) : undefined;
  const byId = addressId !== undefined ? districtOfAddressId(addressId) : undefined;
  const district = named ?? byId ?? (point ? nearestDistrict(point) : undefined);
  if (!district) throw badRequest('address_string: must name the district (e.g. 中壢區) when no lat/long or address_id is sent');

  const name = districtName(district);
  const address = addressString ?? (point ? `${name}（${point.lat.toFixed(5)}, ${point.lng.toFixed(5)}）` : `${name}（address_id ${addressId}）`);
  return { district, address, ...(point ? { lat: point.lat, lng: point.lng } : {}) };
}

function parsePoint(lat: string, long: string): { lat: number; lng: number } {
  const problems: string[] = [];
  if (!NUMBER.test(lat)) problems.push('lat: must be a decimal latitude (WGS84)');
  if (!NUMBER.test(long)) problems.push('long: must be a decimal longitude (WGS84)');
  if (problems.length) throw badRequest(...problems);
  const point = { lat: Number(lat), lng: Number(long) };
  if (point.lat < CITY_BOUNDS.lat.min || point.lat > CITY_BOUNDS.lat.max || point.lng < CITY_BOUNDS.lng.min || point.lng > CITY_BOUNDS.lng.max)
    throw badRequest(`lat/long: ${lat}, ${long} is not within ${loadConfig().districts.city.zh} (${loadConfig().districts.city.en})`);
  return point;
}

/** The district an address names: its Chinese name (`中壢區`) or its English name (`Zhongli`). */
export function districtNamedIn(address: string): string | undefined {
  const { city, districts } = loadConfig().districts;
  // "Zhongli District, Taoyuan City" names Zhongli, not the Taoyuan district: the city's name is not a district.
  const lower = address.toLowerCase().split(city.en.toLowerCase()).join(' ');
  for (const d of districts) {
    if (address.includes(d.name.zh)) return d.code;
    const en = d.name.en.replace(/\s+District$/i, '').toLowerCase();
    if (new RegExp(`\\b${en}\\b`).test(lower)) return d.code;
  }
  return undefined;
}

function districtOfAddressId(addressId: string): string {
  const code = addressId.split('/')[0].trim().toLowerCase();
  if (!loadConfig().districts.districts.some((d) => d.code === code))
    throw badRequest(`address_id: must start with a district code (${loadConfig().districts.districts.map((d) => d.code).join(', ')}), e.g. zhongli/12345`);
  return code;
}

export function nearestDistrict(point: { lat: number; lng: number }): string {
  let best: { code: string; d: number } | undefined;
  for (const d of loadConfig().districts.districts) {
    const c = DISTRICT_CENTRES[d.code];
    if (!c) continue;
    // Equirectangular distance: fine at a city's scale.
    const dx = (point.lng - c.lng) * Math.cos((point.lat * Math.PI) / 180);
    const dy = point.lat - c.lat;
    const dist = dx * dx + dy * dy;
    if (!best || dist < best.d) best = { code: d.code, d: dist };
  }
  if (!best) throw new Error('No district has a centre: see DISTRICT_CENTRES');
  return best.code;
}

export function districtName(code: string): string {
  return loadConfig().districts.districts.find((d) => d.code === code)?.name.zh ?? code;
}

function blankToUndefined(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}
