/**
 * GET /places/geocode?address= — map points for an address typed at intake, each with its district.
 * Errors: 400 naming `address` (empty, longer than 200 characters, or text the place index cannot search), 404 where
 * the stage configures no place index (geocoding is not configured), 429 when the service is busy.
 */
import { geocodePorts } from '../../composition';
import { geocodeAddress } from '../../usecases/geocode-address';
import { httpHandler } from '../http';
import { geocodeQuery } from '../schemas';

const ports = geocodePorts();

export const handler = httpHandler('geocodeAddress', { query: geocodeQuery }, async ({ query }) => ({
  body: { items: await geocodeAddress(ports, query.address) },
}));
