/**
 * What an Open311 endpoint says about itself. From the environment (functions/config/environment.ts parses it;
 * CDK and the local cloud set every variable, these defaults unless the stage says otherwise):
 *   OPEN311_JURISDICTION_ID  the jurisdiction_id clients send (the city's web root, as the specification suggests)
 *   OPEN311_CONTACT          discovery `contact`
 *   OPEN311_KEY_SERVICE      discovery `key_service`: how an app obtains an api_key
 *   OPEN311_CHANGESET        discovery `changeset` floor: when the service list was last changed outside the SOPs
 *   OPEN311_BASE_URL         discovery `url`: where clients reach the endpoint (a resource: CDK sets the Open311
 *                            API's URL on the Open311 functions, the local cloud its gateway's)
 */
export interface Open311Settings {
  jurisdictionId: string;
  contact: string;
  keyService: string;
  /** Sortable; discovery reports the later of this and the newest SOP edit. */
  changeset: string;
  /** production on the prod stage; test elsewhere (nothing filed there is acted upon). */
  endpointType: 'production' | 'test';
  /** OPEN311_BASE_URL: the endpoint's URL (`https://<host>/open311/v2`) the discovery document gives clients. */
  baseUrl: string;
}

export const DEFAULT_JURISDICTION_ID = 'taoyuan.gov.tw';

/** The variable of each setting (part of functions/config/environment.ts's schema). */
export const OPEN311_ENV = {
  jurisdictionId: 'OPEN311_JURISDICTION_ID',
  contact: 'OPEN311_CONTACT',
  keyService: 'OPEN311_KEY_SERVICE',
  changeset: 'OPEN311_CHANGESET',
} as const satisfies Record<Exclude<keyof Open311Settings, 'endpointType' | 'baseUrl'>, string>;

export const OPEN311_DEFAULTS: Readonly<Omit<Open311Settings, 'endpointType' | 'baseUrl'>> = {
  jurisdictionId: DEFAULT_JURISDICTION_ID,
  contact: '桃園市政府 1999 市民專線 (Taoyuan 1999 Citizen Hotline): dial 1999, or 03-332-2101 from outside the city',
  keyService: 'Apply to the 1999 hotline (研考會) for an api_key; keys are issued per application and shown once (see docs/open311.md)',
  changeset: '2026-01-01T00:00:00Z',
};
