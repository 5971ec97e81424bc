/**
 * POST /cases/{caseNo}/attachments/uploads (sign a browser upload), POST /cases/{caseNo}/attachments (record it
 * once its bytes are checked), GET /cases/{caseNo}/attachments (the files with short-lived read URLs).
 * Errors: 400 naming the field (type, size, kind; an upload never completed names attachmentId), 404 for a case the
 * caller may not see, 409 for a closed case or one that holds the most files it may.
 */
import { attachmentStore, caseRepository } from '../../composition';
import { completeUpload, listAttachments, requestUpload, type AttachmentPorts } from '../../usecases/attachments';
import { httpHandler, routeDispatcher } from '../http';
import { attachmentCompleteBody, attachmentUploadBody, caseNoPath } from '../schemas';

const ports: AttachmentPorts = { cases: caseRepository(), files: attachmentStore() };

export const handler = routeDispatcher({
  requestAttachmentUpload: httpHandler('requestAttachmentUpload', { path: caseNoPath, body: attachmentUploadBody }, async ({ actor, pathParameters, body }) => ({
    statusCode: 201,
    body: await requestUpload(ports, actor, pathParameters.caseNo, body),
  })),
  addAttachment: httpHandler('addAttachment', { path: caseNoPath, body: attachmentCompleteBody }, async ({ actor, pathParameters, body }) => {
    const recorded = await completeUpload(ports, actor, pathParameters.caseNo, body);
    return { statusCode: recorded.created ? 201 : 200, body: { caseNo: recorded.caseNo, version: recorded.version, attachment: recorded.attachment } };
  }),
  listAttachments: httpHandler('listAttachments', { path: caseNoPath }, async ({ actor, pathParameters }) => ({
    body: { items: await listAttachments(ports, actor, pathParameters.caseNo) },
  })),
});
