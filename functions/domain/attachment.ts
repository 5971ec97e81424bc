/**
 * What may be attached to a case, decided from the bytes and never from the file name: the types allowed, the size
 * limit the upload policy enforces, and the check an uploaded object must pass (its size within the limit, its
 * first bytes the signature of the type it was declared as) before an attachment is recorded.
 */

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
