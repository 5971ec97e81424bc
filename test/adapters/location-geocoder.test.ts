/**
 * Geocoding an address typed at intake: the Amazon Location adapter (aws-sdk-client-mock) and the use case over it,
 * which gives each place its district by the intake's point-in-polygon and drops places outside the city.
 */
import { LocationClient, ResourceNotFoundException, SearchPlaceIndexForTextCommand, ThrottlingException, ValidationException } from '@aws-sdk/client-location';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocationPlaceIndexGeocoder } from '../../functions/adapters/location-geocoder';
import { shippedDistrictBoundaries } from '../../functions/config/load';
import { boundingBoxOf, districtAt } from '../../functions/domain/district-boundaries';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../functions/domain/errors';
import { geocodeAddress } from '../../functions/usecases/geocode-address';

const location = new LocationClient({ region: 'ap-northeast-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' } });
const locationMock = mockClient(location);
const boundaries = shippedDistrictBoundaries();
const CITY = { west: 120.98, south: 24.59, east: 121.47, north: 25.12 };
const geocoder = new LocationPlaceIndexGeocoder(location, 'citydesk-places', CITY);

/** A point inside Zhongli and one in Taipei (outside every Taoyuan district). */
const ZHONGLI = { lat: 24.9536521, lng: 121.2250019 };
const TAIPEI_101 = { lat: 25.0339, lng: 121.5645 };
const result = (label: string, p: { lat: number; lng: number }, relevance?: number) => ({ Place: { Label: label, Geometry: { Point: [p.lng, p.lat] } }, ...(relevance === undefined ? {} : { Relevance: relevance }) });
/** A service error as the SDK throws it (only its name matters to the adapter). */
const fault = (E: typeof ValidationException | typeof ThrottlingException | typeof ResourceNotFoundException) =>
  new E({ message: 'from the service', Message: 'from the service', $metadata: {} } as never);

beforeEach(() => locationMock.reset());

describe('Amazon Location place index geocoder', () => {
  it("asks the stage's index for the text within the city's box, in Taiwan, in Traditional Chinese, five places at most", async () => {
    locationMock.on(SearchPlaceIndexForTextCommand).resolves({ Results: [], Summary: undefined });

    await geocoder.geocode('中壢區中央西路二段50號');

    expect(locationMock.commandCalls(SearchPlaceIndexForTextCommand)[0]?.args[0].input).toEqual({
      IndexName: 'citydesk-places',
      Text: '中壢區中央西路二段50號',
      FilterBBox: [120.98, 24.59, 121.47, 25.12],
      FilterCountries: ['TWN'],
      Language: 'zh-TW',
      MaxResults: 5,
    });
  });

  it('maps each result to its label, latitude and longitude (the service gives [lng, lat]) and relevance; a result without a point is skipped', async () => {
    locationMock.on(SearchPlaceIndexForTextCommand).resolves({
      Results: [result('中央西路二段50號, 中壢區, 桃園市', ZHONGLI, 0.98), { Place: { Label: 'no point' } }, result('中壢區', ZHONGLI)],
      Summary: undefined,
    } as never);

    expect(await geocoder.geocode('中央西路二段50號')).toEqual([
      { label: '中央西路二段50號, 中壢區, 桃園市', lat: ZHONGLI.lat, lng: ZHONGLI.lng, relevance: 0.98 },
      { label: '中壢區', lat: ZHONGLI.lat, lng: ZHONGLI.lng },
    ]);
  });

  it("maps the service's refusals: text it cannot search is a 400 naming address, throttling a 429, a missing index a 404; other faults stay faults", async () => {
    locationMock.on(SearchPlaceIndexForTextCommand).rejectsOnce(fault(ValidationException)).rejectsOnce(fault(ThrottlingException)).rejectsOnce(fault(ResourceNotFoundException)).rejectsOnce(new Error('socket hang up'));

    const validation = await geocoder.geocode('x').catch((e: unknown) => e);
    expect(validation).toBeInstanceOf(ValidationError);
    expect((validation as ValidationError).fields.map((f) => f.path)).toEqual(['address']);
    await expect(geocoder.geocode('x')).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(geocoder.geocode('x')).rejects.toBeInstanceOf(NotFoundError);
    await expect(geocoder.geocode('x')).rejects.toThrow('socket hang up');
  });
});

describe('geocoding an address at intake', () => {
  it('gives each place in the city the district the intake derives from the point, and drops places outside the city', async () => {
    locationMock.on(SearchPlaceIndexForTextCommand).resolves({ Results: [result('台北101', TAIPEI_101, 0.9), result('中壢火車站', ZHONGLI, 0.8)], Summary: undefined });

    const candidates = await geocodeAddress({ geocoder, boundaries }, '中正路');

    expect(candidates).toEqual([{ label: '中壢火車站', lat: 24.953652, lng: 121.225002, relevance: 0.8, district: districtAt(ZHONGLI, boundaries) }]);
    expect(candidates[0]?.district).toBe('zhongli');
  });

  it('without a place index says geocoding is not configured (404), and asks nothing', async () => {
    await expect(geocodeAddress({ boundaries }, '中正路')).rejects.toThrow(/not configured/);
    await expect(geocodeAddress({ boundaries }, '中正路')).rejects.toBeInstanceOf(NotFoundError);
    expect(locationMock.calls()).toHaveLength(0);
  });

  it("searches the box that holds every district's boundary", () => {
    const box = boundingBoxOf(boundaries);
    const corners = boundaries.flatMap((b) => b.polygons.flatMap((rings) => rings[0] ?? []));

    expect(corners.every(([lng, lat]) => lng >= box.west && lng <= box.east && lat >= box.south && lat <= box.north)).toBe(true);
    expect(corners.some(([lng]) => lng === box.west) && corners.some(([lng]) => lng === box.east)).toBe(true);
    expect(districtAt(TAIPEI_101, boundaries)).toBeUndefined();
  });
});
