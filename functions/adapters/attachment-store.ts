/**
 * Case attachments in the private S3 bucket: presigned POST uploads whose policy fixes the key, the type and the
 * size range; the object check the API runs before recording an attachment (HeadObject for the size, a ranged
 * GetObject for the leading bytes); short-lived presigned GETs; and erasing every version of a case's files when
 * its retention runs out. The endpoint comes from the SDK's environment (`AWS_ENDPOINT_URL_S3` locally), never from
 * a branch of ours.
 */
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ATTACHMENT_MAX_BYTES, casePrefix, SIGNATURE_BYTES, type AttachmentType } from '../domain/attachment';
import type { AttachmentStore, PresignedUpload, StoredObject } from '../usecases/ports';

export { attachmentKey, casePrefix } from '../domain/attachment';

/** How long a signed upload or read stays usable. */
export const UPLOAD_URL_SECONDS = 300;
export const READ_URL_SECONDS = 60;

export class S3AttachmentStore implements AttachmentStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A POST only this key, this type and 1 byte to 10 MB can pass; S3 refuses anything else, and after expiry. */
  async presignUpload(key: string, contentType: AttachmentType): Promise<PresignedUpload> {
    const { url, fields } = await createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [
        ['content-length-range', 1, ATTACHMENT_MAX_BYTES],
        ['eq', '$Content-Type', contentType],
      ],
      Fields: { 'Content-Type': contentType },
      Expires: UPLOAD_URL_SECONDS,
    });
    return { url, fields, expiresAt: new Date(this.now().getTime() + UPLOAD_URL_SECONDS * 1000).toISOString() };
  }

  /** A file the API received whole; the bucket's default encryption applies as to browser uploads. */
  async put(key: string, bytes: Uint8Array, contentType: AttachmentType): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
  }

  /** The object's size and leading bytes; undefined when there is none under the key. */
  async inspect(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const size = head.ContentLength ?? 0;
      // The type the upload's policy pinned (Content-Type eq): the one the browser declared when it asked to upload.
      const contentType = head.ContentType;
      if (size < 1) return { size, head: new Uint8Array(), contentType };
      const first = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${SIGNATURE_BYTES - 1}` }));
      const bytes = first.Body ? await first.Body.transformToByteArray() : new Uint8Array();
      return { size, head: bytes.subarray(0, SIGNATURE_BYTES), contentType };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** A short-lived URL that reads the object as a download (never rendered inline from our origin). */
  async presignRead(key: string, contentType: AttachmentType): Promise<{ url: string; expiresAt: string }> {
    const url = await getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentType: contentType }), { expiresIn: READ_URL_SECONDS });
    return { url, expiresAt: new Date(this.now().getTime() + READ_URL_SECONDS * 1000).toISOString() };
  }

  /** Erases every version (and delete marker) of every file of the case; returns how many were erased. */
  async eraseCase(caseNo: string): Promise<number> {
    let erased = 0;
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: casePrefix(caseNo), KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) => (v.Key ? [{ Key: v.Key, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }] : []));
      if (objects.length) {
        const out = await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects, Quiet: true } }));
        if (out.Errors?.length) throw new Error(`S3 refused to erase ${out.Errors.length} attachment version(s) of a case: ${out.Errors[0]?.Code ?? 'unknown'}`);
        erased += objects.length;
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    return erased;
  }
}

function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NotFound' || name === 'NoSuchKey' || status === 404;
}
