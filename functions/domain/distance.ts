/** Distances between map points (WGS 84), shared by the duplicate check and the console's maps. */

const EARTH_RADIUS_METERS = 6_371_008.8;

/** Haversine distance between two WGS 84 points, in metres (the sphere is within 0.5 % of the ellipsoid). */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}
