/**
 * What may be attached to a case, decided from the bytes and never from the file name: the types allowed, the size
 * limit the upload policy enforces, and the check an uploaded object must pass (its size within the limit, its
 * first bytes the signature of the type it was declared as) before an attachment is recorded.
 */
import type { Role } from './actor';
import { ATTACHMENT_KINDS, TERMINAL_STATUSES, type AttachmentKind, type Case } from './case';

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** How many leading bytes the object check reads (a ranged GET): enough for every signature below. */
export const SIGNATURE_BYTES = 16;

export interface AttachmentProblem {
  path: string;
  message: string;
}

export function isAttachmentType(type: string): type is AttachmentType {
  return (ATTACHMENT_TYPES as readonly string[]).includes(type);
}

/** An upload the browser asks to make: refused before any URL is signed when its type or size cannot pass. */
export function checkUploadRequest(request: { contentType: string; size: number }): AttachmentProblem[] {
  const problems: AttachmentProblem[] = [];
  const type = request.contentType.toLowerCase();
  if (type === 'image/heic' || type === 'image/heif')
    problems.push({ path: 'contentType', message: 'HEIC photos are not accepted: convert to JPEG first (the console does this when it reduces a photo)' });
  else if (!isAttachmentType(type)) problems.push({ path: 'contentType', message: `must be one of ${ATTACHMENT_TYPES.join(', ')}` });
  if (!Number.isInteger(request.size) || request.size < 1) problems.push({ path: 'size', message: 'must be a whole number of bytes, at least 1' });
  else if (request.size > ATTACHMENT_MAX_BYTES) problems.push({ path: 'size', message: `must be at most ${ATTACHMENT_MAX_BYTES} bytes (10 MB)` });
  return problems;
}

/** The type the leading bytes are the signature of, when they are one we know (HEIC only to name it in a refusal). */
export function sniffType(head: Uint8Array): AttachmentType | 'image/heic' | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (ascii(4, 8) === 'ftyp' && ['heic', 'heix', 'mif1', 'msf1', 'heim', 'heis'].includes(ascii(8, 12))) return 'image/heic';
  return undefined;
}

/**
 * The uploaded object as the store reports it: missing (never uploaded, or expired), or its size and leading
 * bytes. A problem names `key`, as the request that completes an upload does.
 */
export function checkUploadedObject(declared: AttachmentType, object: { size: number; head: Uint8Array } | undefined): AttachmentProblem | undefined {
  if (!object) return { path: 'key', message: 'no uploaded file under this key: the upload was never completed or has expired' };
  if (object.size < 1) return { path: 'key', message: 'the uploaded file is empty' };
  if (object.size > ATTACHMENT_MAX_BYTES) return { path: 'key', message: `the uploaded file is larger than ${ATTACHMENT_MAX_BYTES} bytes (10 MB)` };
  const actual = sniffType(object.head);
  if (actual !== declared) return { path: 'key', message: `the file's bytes are not a ${declared}${actual ? ` (they are ${actual})` : ''}` };
  return undefined;
}

/**
 * A file that arrived whole with a request (an Open311 `media` part), checked as an upload request and as an
 * uploaded object at once: its declared type and size, then its leading bytes against that type.
 */
export function checkReceivedFile(contentType: string, bytes: Uint8Array): AttachmentProblem[] {
  const problems = checkUploadRequest({ contentType, size: bytes.length });
  if (problems.length) return problems;
  const problem = checkUploadedObject(contentType.toLowerCase() as AttachmentType, { size: bytes.length, head: bytes.subarray(0, SIGNATURE_BYTES) });
  return problem ? [problem] : [];
}

/** Each case holds at most this many files: its list stays a few kilobytes of the case item. */
export const MAX_ATTACHMENTS_PER_CASE = 20;

/**
 * Which kinds of file each role adds: the agent the caller's photos at intake; department staff their progress and
 * before/after photos; supervisors any (they correct the record); integration clients (Open311) the report's photo.
 * Admins run the system and do not work cases. Which cases they reach is the case's ownership rule, not this one.
 */
export const ATTACHMENT_KINDS_BY_ROLE: Readonly<Record<Role, readonly AttachmentKind[]>> = {
  agent: ['intake'],
  staff: ['progress', 'before', 'after'],
  supervisor: ATTACHMENT_KINDS,
  admin: [],
  integration: ['intake'],
};

/** Why this actor may not add this kind of file to this case now, as a problem naming `kind`; undefined if it may. */
export function attachRefusal(role: Role, kind: AttachmentKind, c: Pick<Case, 'status' | 'attachments'>): { status: 'conflict' | 'invalid'; message: string } | undefined {
  if (!ATTACHMENT_KINDS_BY_ROLE[role].includes(kind))
    return { status: 'invalid', message: `a ${role} may attach ${ATTACHMENT_KINDS_BY_ROLE[role].join(', ') || 'nothing'}, not ${kind}` };
  // A closed case's record is final (and its files may be erased by retention); a resolved one still takes the after photo.
  if (TERMINAL_STATUSES.includes(c.status)) return { status: 'conflict', message: `the case is ${c.status}: nothing more can be attached` };
  if ((c.attachments?.length ?? 0) >= MAX_ATTACHMENTS_PER_CASE) return { status: 'conflict', message: `the case already has ${MAX_ATTACHMENTS_PER_CASE} attachments, the most it may hold` };
  return undefined;
}

/** Where a case's files live: one prefix per case, so retention erases them together; the id is the server's. */
export function attachmentKey(caseNo: string, attachmentId: string): string {
  return `${casePrefix(caseNo)}${attachmentId}`;
}

export function casePrefix(caseNo: string): string {
  return `cases/${caseNo}/`;
}
