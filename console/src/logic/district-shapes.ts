/**
 * The city's districts as SVG paths, for the dashboard's map: the boundaries of places.ts projected
 * equirectangularly (longitude scaled by the cosine of the city's latitude, which is exact enough across 40 km)
 * into a box of the given size, north up. Pure, and computed once per size.
 */
import { CITY_BOUNDARIES, CITY_BOUNDS } from './places';

export interface DistrictShape {
  code: string;
  /** SVG path data: every ring of every polygon, holes included (draw it with `fill-rule: evenodd`). */
  path: string;
  /** Where a label or a pin goes: the centre of the district's largest outer ring's bounding box. */
  centre: [number, number];
}

const cache = new Map<string, DistrictShape[]>();

export function districtShapes(width: number, height: number, margin = 6): DistrictShape[] {
  const key = `${width}x${height}x${margin}`;
  const kept = cache.get(key);
  if (kept) return kept;
  const [[south, west], [north, east]] = CITY_BOUNDS;
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const scale = Math.min((width - 2 * margin) / ((east - west) * kx), (height - 2 * margin) / (north - south));
  const offsetX = (width - (east - west) * kx * scale) / 2;
  const offsetY = (height - (north - south) * scale) / 2;
  const project = (lng: number, lat: number): [number, number] => [round(offsetX + (lng - west) * kx * scale), round(offsetY + (north - lat) * scale)];
  const shapes = CITY_BOUNDARIES.map((b) => {
    const rings = b.polygons.flatMap((polygon) => polygon.map((ring) => ring.map(([lng, lat]) => project(lng, lat))));
    const path = rings.map((ring) => `M${ring.map(([x, y]) => `${x},${y}`).join('L')}Z`).join('');
    const outer = b.polygons.map((polygon) => polygon[0].map(([lng, lat]) => project(lng, lat))).sort((a, z) => area(z) - area(a))[0] ?? [];
    const xs = outer.map(([x]) => x);
    const ys = outer.map(([, y]) => y);
    const centre: [number, number] = [round((Math.min(...xs) + Math.max(...xs)) / 2), round((Math.min(...ys) + Math.max(...ys)) / 2)];
    return { code: b.code, path, centre };
  });
  cache.set(key, shapes);
  return shapes;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Twice the ring's area (shoelace), unsigned: which ring of a multi-polygon is the district's main one. */
function area(ring: ReadonlyArray<readonly [number, number]>): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % ring.length];
    sum += x1 * y2 - x2 * y1;
  }
  return Math.abs(sum);
}
