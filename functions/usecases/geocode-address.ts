/**
 * Where an address typed at intake may be: map points for the agent to choose from, each with the district the
 * intake would derive from it. Steps:
 * 1. without a geocoder (the stage configures no place index), a 404 saying geocoding is not configured: the
 *    console offers no search then, and the agent still picks the place on the map;
 * 2. ask the geocoder for candidates within the city's bounding box;
 * 3. give each the district whose boundary holds it (the point-in-polygon the intake schema checks), drop those in
 *    none (the box is wider than the city, and the intake would refuse them), and round to 6 decimals (about 0.1 m,
 *    as a map click is).
 */
import { districtAt, type DistrictBoundary } from '../domain/district-boundaries';
import { NotFoundError } from '../domain/errors';

/** A place a geocoder found for the text, as it labels it. */
export interface GeocodedPlace {
  label: string;
  lat: number;
  lng: number;
  /** The service's confidence, 0 to 1, when it gives one. */
  relevance?: number;
}

/** Turns free text into places (functions/adapters/location-geocoder.ts), searching only the city's area. */
export interface Geocoder {
  geocode(address: string): Promise<GeocodedPlace[]>;
}

export interface GeocodePorts {
  /** Absent where the stage has no place index. */
  geocoder?: Geocoder;
  boundaries: readonly DistrictBoundary[];
}

export type PlaceCandidate = GeocodedPlace & { district: string };

export const GEOCODING_NOT_CONFIGURED = 'Geocoding is not configured for this stage (no Amazon Location place index); pick the place on the map';

export async function geocodeAddress(ports: GeocodePorts, address: string): Promise<PlaceCandidate[]> {
  if (!ports.geocoder) throw new NotFoundError(GEOCODING_NOT_CONFIGURED);
  const places = await ports.geocoder.geocode(address);
  return places.flatMap((place) => {
    const point = { lat: round6(place.lat), lng: round6(place.lng) };
    const district = districtAt(point, ports.boundaries);
    return district ? [{ ...place, ...point, district }] : [];
  });
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
