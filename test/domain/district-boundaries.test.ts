import { describe, expect, it } from 'vitest';
import { districtAt, type DistrictBoundary } from '../../functions/domain/district-boundaries';

/** Two squares side by side, the left one with a square hole. */
const BOUNDARIES: DistrictBoundary[] = [
  {
    code: 'west',
    polygons: [
      [
        [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]],
        [[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 1], [0.5, 0.5]],
      ],
    ],
  },
  { code: 'east', polygons: [[[[2, 0], [4, 0], [4, 2], [2, 2], [2, 0]]]] },
  { code: 'isles', polygons: [[[[5, 0], [6, 0], [6, 1], [5, 1], [5, 0]]], [[[7, 0], [8, 0], [8, 1], [7, 1], [7, 0]]]] },
];

describe('the district a point lies in', () => {
  it('is the one whose polygon holds it', () => {
    expect(districtAt({ lng: 1.5, lat: 1.5 }, BOUNDARIES)).toBe('west');
    expect(districtAt({ lng: 3, lat: 1 }, BOUNDARIES)).toBe('east');
  });

  it('a hole belongs to no district; outside every polygon is none', () => {
    expect(districtAt({ lng: 0.75, lat: 0.75 }, BOUNDARIES)).toBeUndefined();
    expect(districtAt({ lng: 4.5, lat: 1 }, BOUNDARIES)).toBeUndefined();
  });

  it('every polygon of a multi-polygon district counts', () => {
    expect(districtAt({ lng: 7.5, lat: 0.5 }, BOUNDARIES)).toBe('isles');
    expect(districtAt({ lng: 5.5, lat: 0.5 }, BOUNDARIES)).toBe('isles');
  });
});
