/**
 * GET /places/geocode through the production handler module: a stage without a place index answers that geocoding
 * is not configured (never a 500), a bad address is a 400 naming it, and with an index the candidates carry their
 * district. Amazon Location is mocked (aws-sdk-client-mock); each stage is a fresh load of the module.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocationClient, SearchPlaceIndexForTextCommand } from '@aws-sdk/client-location';
import { mockClient } from 'aws-sdk-client-mock';
import type { ApiHandler } from '../../functions/api/http';
import { apiEvent, call, CLAIMS } from './support/events';

const locationMock = mockClient(LocationClient);

type Problem = { error: { code: string; message: string; fields?: Array<{ path: string; message: string }> } };

/** The handler module as a function of a stage with (or without) PLACE_INDEX_NAME. */
async function placesHandler(placeIndexName?: string): Promise<ApiHandler> {
  vi.resetModules();
  process.env.TABLE_NAME = 'citydesk-test';
  if (placeIndexName) process.env.PLACE_INDEX_NAME = placeIndexName;
  else delete process.env.PLACE_INDEX_NAME;
  return ((await import('../../functions/api/handlers/places')) as { handler: ApiHandler }).handler;
}

const geocode = (handler: ApiHandler, address: string | undefined, claims: (typeof CLAIMS)[keyof typeof CLAIMS] = CLAIMS.agent) =>
  call(handler, apiEvent('geocodeAddress', { query: address === undefined ? {} : { address }, claims }));

beforeEach(() => locationMock.reset());
afterAll(() => {
  locationMock.restore();
  delete process.env.PLACE_INDEX_NAME;
});

describe('GET /places/geocode', () => {
  it('without a place index: 404 saying geocoding is not configured, and Amazon Location is never called', async () => {
    const handler = await placesHandler();

    const res = await geocode(handler, '中壢區中央西路二段50號');

    expect(res.statusCode).toBe(404);
    expect((res.body as Problem).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('not configured') as string });
    expect(locationMock.calls()).toHaveLength(0);
  });

  it('an empty, missing or over-long address is a 400 naming address, before any search', async () => {
    const handler = await placesHandler('citydesk-places');

    for (const address of ['   ', undefined, '路'.repeat(201)]) {
      const res = await geocode(handler, address);
      expect(res.statusCode, String(address)).toBe(400);
      expect((res.body as Problem).error.fields?.map((f) => f.path)).toEqual(['address']);
    }
    expect(locationMock.calls()).toHaveLength(0);
  });

  it("with a place index: the city's candidates with their districts; agents and supervisors may ask, staff may not", async () => {
    const handler = await placesHandler('citydesk-places');
    locationMock.on(SearchPlaceIndexForTextCommand).resolves({
      Results: [
        { Place: { Label: '中壢火車站', Geometry: { Point: [121.2250019, 24.9536521] } }, Relevance: 0.9 },
        { Place: { Label: '台北101', Geometry: { Point: [121.5645, 25.0339] } }, Relevance: 0.5 },
      ],
      Summary: undefined,
    });

    const res = await geocode(handler, '中壢火車站');

    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ items: [{ label: '中壢火車站', lat: 24.953652, lng: 121.225002, relevance: 0.9, district: 'zhongli' }] });
    expect(locationMock.commandCalls(SearchPlaceIndexForTextCommand)[0]?.args[0].input).toMatchObject({ IndexName: 'citydesk-places', Text: '中壢火車站' });
    expect((await geocode(handler, '中壢火車站', CLAIMS.supervisor)).statusCode).toBe(200);
    expect((await geocode(handler, '中壢火車站', CLAIMS.staffPwd)).statusCode).toBe(403);
  });
});
