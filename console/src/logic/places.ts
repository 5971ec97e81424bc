/**
 * Places for the console's maps: the city's district boundaries (config/district-boundaries.json, the g0v
 * simplification of the MOTC town boundaries — attribution in docs/open311.md), the district a map point lies in
 * (the API's own point-in-polygon, functions/domain/district-boundaries.ts, so intake and the API agree on what is
 * outside the city), and a link that opens a point in the phone's maps app. Pure: no Leaflet here.
 */
import boundariesFile from '../../../config/district-boundaries.json';
import { districtAt, type DistrictBoundary, type GeoPoint } from '../../../functions/domain/district-boundaries';

export { distanceMeters } from '../../../functions/domain/distance';

type Position = number[];
interface BoundaryFeature {
  properties: { code: string };
  geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
}

/** The GeoJSON the maps draw as their base layer (no tile server needed, so the map works offline). */
export const CITY_GEOJSON = boundariesFile as unknown as { type: 'FeatureCollection'; features: BoundaryFeature[] };

const ring = (r: Position[]) => r.map(([lng, lat]) => [lng, lat] as const);

export const CITY_BOUNDARIES: readonly DistrictBoundary[] = CITY_GEOJSON.features.map((f) => ({
  code: f.properties.code,
  polygons: f.geometry.type === 'Polygon' ? [f.geometry.coordinates.map(ring)] : f.geometry.coordinates.map((p) => p.map(ring)),
}));

/** The district whose boundary holds the point; undefined outside the city (the API refuses such a point). */
export function districtOfPoint(point: GeoPoint): string | undefined {
  return districtAt(point, CITY_BOUNDARIES);
}

/** South-west and north-east corners of the city, [lat, lng] each: where a map starts. */
export const CITY_BOUNDS: readonly [readonly [number, number], readonly [number, number]] = (() => {
  let [south, west, north, east] = [90, 180, -90, -180];
  for (const b of CITY_BOUNDARIES)
    for (const polygon of b.polygons)
      for (const [lng, lat] of polygon[0]) {
        south = Math.min(south, lat);
        north = Math.max(north, lat);
        west = Math.min(west, lng);
        east = Math.max(east, lng);
      }
  return [
    [south, west],
    [north, east],
  ];
})();

/** Six decimals (about 0.1 m): what a click means, without the float noise of a screen pixel. */
export function roundPoint(point: GeoPoint): GeoPoint {
  const r = (n: number) => Math.round(n * 1e6) / 1e6;
  return { lat: r(point.lat), lng: r(point.lng) };
}

/** A point from the intake's two text fields, when both are numbers. */
export function pointOf(lat: string, lng: string): GeoPoint | undefined {
  if (!lat.trim() || !lng.trim()) return undefined;
  const point = { lat: Number(lat), lng: Number(lng) };
  return Number.isFinite(point.lat) && Number.isFinite(point.lng) ? point : undefined;
}

/**
 * A link that opens the point in the phone's maps app: `geo:` (RFC 5870) on Android, which offers the installed
 * maps apps; Apple Maps' URL on iPhone and iPad, which do not handle `geo:`; elsewhere a web map in a new tab.
 */
export function mapsAppHref(point: GeoPoint, label: string, userAgent: string): string {
  const at = `${point.lat},${point.lng}`;
  if (/android/i.test(userAgent)) return `geo:${at}?q=${at}(${encodeURIComponent(label)})`;
  if (/iphone|ipad|ipod/i.test(userAgent)) return `https://maps.apple.com/?ll=${at}&q=${encodeURIComponent(label)}`;
  return `https://www.openstreetmap.org/?mlat=${point.lat}&mlon=${point.lng}#map=18/${point.lat}/${point.lng}`;
}
