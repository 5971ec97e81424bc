/**
 * What an Open311 endpoint says about itself. From the environment, with defaults for this city, so CDK and the
 * local cloud can set them per stage without code:
 *   OPEN311_JURISDICTION_ID  the jurisdiction_id clients send (the city's web root, as the specification suggests)
 *   OPEN311_CONTACT          discovery `contact`
 *   OPEN311_KEY_SERVICE      discovery `key_service`: how an app obtains an api_key
 *   OPEN311_CHANGESET        discovery `changeset` floor: when the service list was last changed outside the SOPs
 */
export interface Open311Settings {
  jurisdictionId: string;
  contact: string;
  keyService: string;
  /** Sortable; discovery reports the later of this and the newest SOP edit. */
  changeset: string;
  /** production on the prod stage; test elsewhere (nothing filed there is acted upon). */
  endpointType: 'production' | 'test';
}

export const DEFAULT_JURISDICTION_ID = 'taoyuan.gov.tw';

export function open311Settings(env: NodeJS.ProcessEnv = process.env): Open311Settings {
  return {
    jurisdictionId: env.OPEN311_JURISDICTION_ID || DEFAULT_JURISDICTION_ID,
    contact: env.OPEN311_CONTACT || '桃園市政府 1999 市民專線 (Taoyuan 1999 Citizen Hotline): dial 1999, or 03-332-2101 from outside the city',
    keyService: env.OPEN311_KEY_SERVICE || 'Apply to the 1999 hotline (研考會) for an api_key; keys are issued per application and shown once (see docs/open311.md)',
    changeset: env.OPEN311_CHANGESET || '2026-01-01T00:00:00Z',
    endpointType: (env.STAGE ?? 'dev') === 'prod' ? 'production' : 'test',
  };
}
