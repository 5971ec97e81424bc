/**
 * Geocoding with an Amazon Location Service place index (SearchPlaceIndexForText): the text of an address, searched
 * only inside the city's bounding box and in Taiwan, answered in Traditional Chinese, at most five places. What the
 * service cannot take or refuses becomes one of our named errors; anything else is a fault and stays one.
 */
import { SearchPlaceIndexForTextCommand, type LocationClient } from '@aws-sdk/client-location';
import type { BoundingBox } from '../domain/district-boundaries';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../domain/errors';
import { logger } from '../shared/logger';
import type { GeocodedPlace, Geocoder } from '../usecases/geocode-address';

export const GEOCODE_MAX_RESULTS = 5;

export class LocationPlaceIndexGeocoder implements Geocoder {
  constructor(
    private readonly location: LocationClient,
    private readonly indexName: string,
    private readonly area: BoundingBox,
  ) {}

  async geocode(address: string): Promise<GeocodedPlace[]> {
    const { west, south, east, north } = this.area;
    try {
      const out = await this.location.send(
        new SearchPlaceIndexForTextCommand({
          IndexName: this.indexName,
          Text: address,
          // A box rather than a bias position: the service takes one or the other, and the box keeps a street name
          // every city has from answering with another city's.
          FilterBBox: [west, south, east, north],
          FilterCountries: ['TWN'],
          Language: 'zh-TW',
          MaxResults: GEOCODE_MAX_RESULTS,
        }),
      );
      return (out.Results ?? []).flatMap((r) => {
        const [lng, lat] = r.Place?.Geometry?.Point ?? [];
        if (lng === undefined || lat === undefined) return [];
        return [{ label: r.Place?.Label ?? '', lat, lng, ...(r.Relevance === undefined ? {} : { relevance: r.Relevance }) }];
      });
    } catch (e) {
      throw mapped(e, this.indexName);
    }
  }
}

function mapped(e: unknown, indexName: string): unknown {
  switch (e instanceof Error ? e.name : undefined) {
    case 'ValidationException':
      return new ValidationError('The address cannot be searched', [{ path: 'address', message: 'is not text the place index can search' }]);
    case 'ThrottlingException':
      return new TooManyRequestsError('The geocoding service is busy; try again in a moment');
    case 'ResourceNotFoundException':
      // A stage naming an index that does not exist (deleted, or another region): an operator's fix, so say it in the
      // log; the caller learns only that geocoding is unavailable.
      logger.warn('The configured place index does not exist', { indexName });
      return new NotFoundError('Geocoding is not available: the stage\'s place index was not found; pick the place on the map');
    default:
      return e;
  }
}
