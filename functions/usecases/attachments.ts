/**
 * Photos and PDFs on a case: the browser uploads straight to private storage with a presigned POST, the API records
 * the file only once it has checked the bytes, and reads are short-lived presigned GETs.
 *
 * Request an upload. Steps:
 * 1. check the declared type and size (domain checkUploadRequest): a HEIC photo, another type or a size over the
 *    limit is a 400 naming the field, before anything is signed;
 * 2. load the case as the actor may see it (another department's is a 404) and check the actor may attach this kind
 *    of file to it now (attachRefusal: role and kind 400, a closed or full case 409);
 * 3. choose the attachment id (never the file name) and sign a POST for its key whose policy fixes the type and size.
 *
 * Complete an upload. Steps:
 * 1. load the case and check the actor may attach the kind, as above; an id already recorded answers as recorded;
 * 2. inspect the object under the case's key for the id: none (never uploaded, or expired) is a 400 naming
 *    `attachmentId` and nothing is recorded; its size and leading bytes must match the type its upload was signed for
 *    (domain checkUploadedObject);
 * 3. ONE conditional write on the version read: the attachment added to the case's list with an `attachment-added`
 *    event (kind, type, size); a change landed meanwhile (412) is read again and retried, as a note is.
 *
 * Attach a file received whole (an Open311 `media` part). Steps:
 * 1. check its declared type and size and its leading bytes (domain checkReceivedFile): a 400 naming `media`;
 * 2. load the case as the actor may see it and check the actor may attach this kind (as above);
 * 3. choose the attachment id, store the bytes under its key, then complete it as a browser upload is completed
 *    (the same object check and conditional write).
 *
 * List attachments. Steps:
 * 1. load the case as the actor may see it (404 otherwise: the same ownership rule as reading the case);
 * 2. sign a short-lived GET for each recorded file.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor';
import { attachmentKey, attachRefusal, checkReceivedFile, checkUploadedObject, checkUploadRequest, isAttachmentType, type AttachmentType } from '../domain/attachment';
import type { AttachmentKind, Case, CaseAttachment } from '../domain/case';
import { nowIso } from '../domain/clock';
import { ConflictError, PreconditionFailedError, ValidationError } from '../domain/errors';
import { getCase } from './get-case';
import type { AttachmentStore, CaseRepository, PresignedUpload } from './ports';

export interface AttachmentPorts {
  cases: CaseRepository;
  files: AttachmentStore;
}

export interface UploadRequest {
  contentType: string;
  size: number;
  kind: AttachmentKind;
}

export interface UploadGrant {
  attachmentId: string;
  upload: PresignedUpload;
}

export interface RecordedAttachment {
  caseNo: string;
  /** The case version after the write (the one the attachment was first recorded at, on a repeat). */
  version: number;
  attachment: CaseAttachment;
  /** false when the id was recorded already (a retried completion): nothing was written. */
  created: boolean;
}

export interface AttachmentView extends CaseAttachment {
  url: string;
  urlExpiresAt: string;
}

const WRITE_ATTEMPTS = 5;

export async function requestUpload(ports: AttachmentPorts, actor: Actor, caseNo: string, input: UploadRequest): Promise<UploadGrant> {
  const problems = checkUploadRequest(input);
  if (problems.length) throw new ValidationError('The file cannot be attached', problems);
  const c = await getCase(ports, actor, caseNo);
  assertMayAttach(actor, input.kind, c);
  const attachmentId = randomUUID();
  const upload = await ports.files.presignUpload(attachmentKey(caseNo, attachmentId), input.contentType.toLowerCase() as AttachmentType);
  return { attachmentId, upload };
}

export async function completeUpload(ports: AttachmentPorts, actor: Actor, caseNo: string, input: { attachmentId: string; kind: AttachmentKind }): Promise<RecordedAttachment> {
  for (let attempt = 1; ; attempt++) {
    const c = await getCase(ports, actor, caseNo);
    const already = c.attachments?.find((a) => a.id === input.attachmentId);
    if (already) return { caseNo, version: c.version, attachment: already, created: false };
    assertMayAttach(actor, input.kind, c);

    const object = await ports.files.inspect(attachmentKey(caseNo, input.attachmentId));
    const declared = object?.contentType?.toLowerCase();
    if (object && (!declared || !isAttachmentType(declared)))
      throw new ValidationError('The uploaded file cannot be attached', [{ path: 'attachmentId', message: 'the upload was not made with a URL this API signed for an allowed type' }]);
    const problem = checkUploadedObject((declared ?? 'application/octet-stream') as AttachmentType, object);
    if (problem) throw new ValidationError('The uploaded file cannot be attached', [{ path: 'attachmentId', message: problem.message }]);

    const attachment: CaseAttachment = { id: input.attachmentId, kind: input.kind, contentType: declared as AttachmentType, size: object!.size, at: nowIso(), by: actor.id };
    try {
      const updated = await ports.cases.update(caseNo, c.version, {
        set: { attachments: [...(c.attachments ?? []), attachment] },
        event: {
          type: 'attachment-added',
          by: actor.id,
          at: attachment.at,
          data: { attachmentId: attachment.id, kind: attachment.kind, contentType: attachment.contentType, size: attachment.size },
        },
      });
      return { caseNo, version: updated.version, attachment, created: true };
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= WRITE_ATTEMPTS) throw e;
    }
  }
}

export async function attachReceivedFile(ports: AttachmentPorts, actor: Actor, caseNo: string, file: { bytes: Uint8Array; contentType: string; kind: AttachmentKind }): Promise<RecordedAttachment> {
  const problems = checkReceivedFile(file.contentType, file.bytes);
  if (problems.length) throw new ValidationError('The file cannot be attached', problems.map((p) => ({ path: 'media', message: p.message })));
  const c = await getCase(ports, actor, caseNo);
  assertMayAttach(actor, file.kind, c);
  const attachmentId = randomUUID();
  await ports.files.put(attachmentKey(caseNo, attachmentId), file.bytes, file.contentType.toLowerCase() as AttachmentType);
  return completeUpload(ports, actor, caseNo, { attachmentId, kind: file.kind });
}

export async function listAttachments(ports: AttachmentPorts, actor: Actor, caseNo: string): Promise<AttachmentView[]> {
  const c = await getCase(ports, actor, caseNo);
  return Promise.all(
    (c.attachments ?? []).map(async (a) => {
      const read = await ports.files.presignRead(attachmentKey(caseNo, a.id), a.contentType);
      return { ...a, url: read.url, urlExpiresAt: read.expiresAt };
    }),
  );
}

function assertMayAttach(actor: Actor, kind: AttachmentKind, c: Case): void {
  const refusal = attachRefusal(actor.role, kind, c);
  if (!refusal) return;
  if (refusal.status === 'conflict') throw new ConflictError(refusal.message, { currentStatus: c.status });
  throw new ValidationError('This kind of file cannot be attached', [{ path: 'kind', message: refusal.message }]);
}
