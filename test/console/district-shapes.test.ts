/** The dashboard map's district shapes: every district of the city, inside the drawing, north up. */
import { describe, expect, it } from 'vitest';
import { districtShapes } from '../../console/src/logic/district-shapes';
import { loadConfig } from '../../functions/config/load';

describe('districtShapes', () => {
  const shapes = districtShapes(460, 360);
  const points = (path: string) => [...path.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);

  it('draws one closed path per configured district', () => {
    expect(shapes.map((s) => s.code).sort()).toEqual(loadConfig().districts.districts.map((d) => d.code).sort());
    for (const s of shapes) expect(s.path).toMatch(/^M[\d.,L]+Z/);
  });

  it('fits every point inside the box and uses it: the city touches two opposite sides', () => {
    const all = shapes.flatMap((s) => points(s.path));
    const xs = all.map(([x]) => x);
    const ys = all.map(([, y]) => y);

    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(460);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ys)).toBeLessThanOrEqual(360);
    const touchesWidth = Math.min(...xs) <= 6.1 && Math.max(...xs) >= 453.9;
    const touchesHeight = Math.min(...ys) <= 6.1 && Math.max(...ys) >= 353.9;
    expect(touchesWidth || touchesHeight).toBe(true);
  });

  it('keeps north up: Dayuan, on the coast, is drawn above Fuxing, in the mountains', () => {
    const centre = (code: string) => shapes.find((s) => s.code === code)!.centre;

    expect(centre('dayuan')[1]).toBeLessThan(centre('fuxing')[1]);
  });
});
