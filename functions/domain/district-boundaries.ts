/**
 * Which district a point lies in, from district boundary polygons (GeoJSON rings of [longitude, latitude], WGS84).
 * Pure: the boundaries come in (config/district-boundaries.json, loaded by functions/config/load.ts).
 *
 * Even-odd ray casting per polygon (its outer ring and any holes), which is exact for simple polygons at a
 * city's scale (no projection needed: the test compares coordinates on the same side of one parallel). The
 * shipped polygons are simplified, so a point within a few hundred metres of a border may land in a neighbour or
 * in none; the caller decides what "none" means.
 */

export type Ring = ReadonlyArray<readonly [number, number]>;

export interface DistrictBoundary {
  code: string;
  /** Polygons, each an outer ring followed by its holes. */
  polygons: ReadonlyArray<readonly Ring[]>;
}

export interface GeoPoint {
  lat: number;
  lng: number;
}

/** The district whose polygon holds the point; undefined when none does. */
export function districtAt(point: GeoPoint, boundaries: readonly DistrictBoundary[]): string | undefined {
  for (const b of boundaries) if (b.polygons.some((rings) => inPolygon(point, rings))) return b.code;
  return undefined;
}

function inPolygon(point: GeoPoint, rings: readonly Ring[]): boolean {
  let inside = false;
  for (const ring of rings) if (crossesOddly(point, ring)) inside = !inside;
  return inside;
}

/** Whether a ray from the point towards +longitude crosses the ring an odd number of times. */
function crossesOddly({ lat, lng }: GeoPoint, ring: Ring): boolean {
  let odd = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

/** The smallest longitude/latitude box holding every boundary: what a geocoder is told to search within. */
export interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

export function boundingBoxOf(boundaries: readonly DistrictBoundary[]): BoundingBox {
  const box = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  for (const b of boundaries)
    for (const rings of b.polygons)
      for (const [lng, lat] of rings[0] ?? []) {
        box.west = Math.min(box.west, lng);
        box.east = Math.max(box.east, lng);
        box.south = Math.min(box.south, lat);
        box.north = Math.max(box.north, lat);
      }
  if (!Number.isFinite(box.west)) throw new Error('No district boundary to bound');
  return box;
}
