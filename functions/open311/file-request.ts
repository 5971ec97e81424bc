/**
 * POST requests: a citizen app files a report. Steps:
 * 1. api_key: hashed and looked up; missing, unknown or revoked -> 403 (nothing else is looked at first, so an
 *    unauthenticated caller learns nothing about the services);
 * 2. service_code: required (400) and an Open311 service (404, as the specification lists it);
 * 3. location: lat/long, address_string or address_id -> district and address (locate.ts; none of them is a 400;
 *    a location no district could be found for is accepted unplaced, for the dispatch desk);
 * 4. answers: `attribute[code]=v` and `attribute[code][]=v1&attribute[code][]=v2` checked against the SOP's
 *    questions (a missing required one, a bad value -> 400 naming `attribute[code]`); answers to questions the
 *    SOP does not ask are ignored, as clients may send extra ones;
 * 5. the reporter: first/last name, phone (free text: normalised when Taiwanese, else kept as given), email;
 *    they hear back by e-mail when they gave one. device_id and account_id are not kept: there are no citizen accounts here;
 * 6. description (at most 4000 characters; the service name when absent) and media_url (http or https), kept
 *    as a link; a multipart `media` file part is checked now (type, size, leading bytes: 400 naming media), so a
 *    bad file files no case;
 * 7. createCase on channel `open311` as the client (role integration), which starts the case's workflow;
 * 8. the media file, if any, stored and recorded as the case's intake attachment (usecases/attachments.ts); the
 *    case is filed by then, so a storage failure is logged and the answer still gives the case number;
 * 9. answer with the case number as service_request_id and the SOP's promise as service_notice.
 */
import * as z from 'zod';
import { verifyApiKey, type ApiKeyStore } from './api-keys';
import { normaliseTwPhone } from '../api/schemas';
import type { Actor } from '../domain/actor';
import type { Reporter } from '../domain/case';
import { readAttributes, resolveDepartment, UNPLACED_DISTRICT } from '../domain/sop';
import { createCase, type CreateCasePorts } from '../usecases/create-case';
import { attachReceivedFile } from '../usecases/attachments';
import { checkReceivedFile } from '../domain/attachment';
import { logger } from '../shared/logger';
import type { ReceivedFile } from './http';
import type { AttachmentStore, DepartmentDirectory } from '../usecases/ports';
import { enforceClientRate } from '../privacy/rate-limits';
import { listDocument, type ListDocument } from './document';
import { badRequest, forbidden, notFound, Open311Error } from './errors';
import { locate, type Places } from './locate';
import { isOpen311Service, serviceNotice } from './mapping';

export const MAX_DESCRIPTION = 4000;
export const MAX_MEDIA_URL = 2048;
/** E.164 has at most 15 digits; room for a country prefix, spaces, punctuation and an extension. */
export const MAX_PHONE = 40;

export interface FileRequestPorts extends CreateCasePorts {
  apiKeys: ApiKeyStore;
  departments: DepartmentDirectory;
  places: Places;
  /** Where a multipart `media` file goes; without it such a request is refused. */
  files?: AttachmentStore;
}

/** The form as sent: repeated keys (attribute[code][]) keep every value. */
export type Form = URLSearchParams;

export async function fileRequest(ports: FileRequestPorts, form: Form, media?: ReceivedFile): Promise<ListDocument> {
  const client = await verifyApiKey(ports.apiKeys, single(form, 'api_key'));
  if (!client) throw forbidden(single(form, 'api_key') ? 'Invalid api_key received -- cannot create the service request' : 'api_key is required to create a service request');
  // Each key is a machine client: requests per minute are limited (functions/privacy/rate-limits.ts, 429).
  if (ports.caps) await enforceClientRate(ports.caps, client.clientId);

  const serviceCode = single(form, 'service_code');
  if (!serviceCode) throw badRequest('service_code: is required (GET services lists them)');
  const sop = await ports.sops.current(serviceCode);
  if (!sop || !isOpen311Service(sop)) throw notFound(`service_code ${serviceCode} was not found`);

  const problems: string[] = [];
  let location: ReturnType<typeof locate> | undefined;
  try {
    location = locate({ lat: single(form, 'lat'), long: single(form, 'long'), address_string: single(form, 'address_string'), address_id: single(form, 'address_id') }, ports.places);
  } catch (e) {
    if (!(e instanceof Open311Error)) throw e;
    problems.push(...e.errors.map((x) => x.description));
  }

  const { values: attributes, problems: answerProblems } = readAttributes(sop, attributeAnswers(form), { allowUnknown: true, pathPrefix: 'attribute' });
  problems.push(...answerProblems.map((p) => `${p.path.replace(/^attribute\.(.+)$/, 'attribute[$1]')}: ${p.message}`));

  const reporter = reporterOf(form, problems);
  const description = (single(form, 'description') ?? '').trim();
  if ([...description].length > MAX_DESCRIPTION) problems.push(`description: must be at most ${MAX_DESCRIPTION} characters`);
  const mediaUrl = single(form, 'media_url')?.trim() || undefined;
  if (mediaUrl !== undefined && !isWebUrl(mediaUrl)) problems.push(`media_url: must be an http or https URL of at most ${MAX_MEDIA_URL} characters`);
  if (media) {
    if (!ports.files) problems.push('media: this endpoint takes no files; send media_url');
    else problems.push(...checkReceivedFile(media.contentType, media.bytes).map((p) => `media: ${p.message}`));
  }
  if (problems.length || !location) throw badRequest(...problems);

  const actor: Actor = { id: client.clientId, role: 'integration' };
  const { case: c } = await createCase(ports, actor, {
    category: sop.category,
    description: description || sop.name.zh,
    location,
    reporter,
    channel: 'open311',
    attributes: attributes,
    ...(mediaUrl ? { mediaUrl } : {}),
  });

  if (media && ports.files) {
    try {
      await attachReceivedFile({ cases: ports.cases, files: ports.files }, actor, c.caseNo, { ...media, kind: 'intake' });
    } catch (e) {
      // The case is filed and its workflow started: answering an error would make the client file it again.
      logger.warn('Open311 media not attached', { caseNo: c.caseNo, error: e instanceof Error ? e.name : 'unknown' });
    }
  }

  // A report nobody could place yet is promised by "the responsible agency": the dispatch desk picks it.
  const departmentCode = location.district === UNPLACED_DISTRICT ? undefined : resolveDepartment(sop, location.district);
  const department = departmentCode ? await ports.departments.get(departmentCode) : undefined;
  return listDocument('service_requests', 'request', [
    { service_request_id: c.caseNo, service_notice: serviceNotice(sop, c.priority, department?.name.zh), account_id: null },
  ]);
}

/** The last value of a field (a client that repeats a scalar meant the last one); undefined when absent. */
function single(form: Form, name: string): string | undefined {
  const all = form.getAll(name);
  return all.length ? all[all.length - 1] : undefined;
}

/** `attribute[size]=large`, `attribute[kinds][]=a&attribute[kinds][]=b` -> { size: 'large', kinds: ['a', 'b'] } */
export function attributeAnswers(form: Form): Record<string, string | string[]> {
  const answers: Record<string, string | string[]> = {};
  for (const [key, value] of form) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (!m) continue;
    const code = m[1];
    if (m[2]) {
      const list = answers[code];
      answers[code] = Array.isArray(list) ? [...list, value] : [value];
    } else answers[code] = value;
  }
  return answers;
}

const email = z.email();

function reporterOf(form: Form, problems: string[]): Reporter {
  const first = single(form, 'first_name')?.trim() ?? '';
  const last = single(form, 'last_name')?.trim() ?? '';
  // Chinese names are written family name first, without a space; Latin ones given name first.
  const cjk = /[\u3400-\u9FFF]/.test(first + last);
  const name = (cjk ? `${last}${first}` : `${first} ${last}`).trim() || undefined;
  if (name && [...name].length > 100) problems.push('first_name: the name may have at most 100 characters');

  const phone = phoneOf(single(form, 'phone'), problems);

  const rawEmail = single(form, 'email')?.trim() || undefined;
  if (rawEmail && (rawEmail.length > 254 || !email.safeParse(rawEmail).success)) problems.push('email: must be an e-mail address');

  return {
    ...(name ? { name } : {}),
    ...(phone ? { phone } : {}),
    ...(rawEmail ? { email: rawEmail } : {}),
    anonymous: !name && !phone,
    notify: rawEmail ? 'email' : 'none',
  };
}

/**
 * The specification's phone is free text: a Taiwanese number (full-width digits too) is stored normalised
 * (`0912345678`), anything else as given, so a visitor's `+44 1632 960123` does not sink the report. Only an SMS
 * needs a Taiwanese mobile, and Open311 reporters hear back by e-mail: an agent who switches a case to SMS is
 * told when the number on file is not one (update-case), and the workflow never texts a number that is not.
 */
function phoneOf(raw: string | undefined, problems: string[]): string | undefined {
  const given = raw?.trim();
  if (!given) return undefined;
  const tw = normaliseTwPhone(given.normalize('NFKC'));
  if (tw) return tw;
  // eslint-disable-next-line no-control-regex -- a phone number is one line of printable text
  if ([...given].length > MAX_PHONE || /[\u0000-\u001f\u007f]/.test(given)) problems.push(`phone: must be one line of at most ${MAX_PHONE} characters`);
  return given;
}

function isWebUrl(s: string): boolean {
  if (s.length > MAX_MEDIA_URL) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
