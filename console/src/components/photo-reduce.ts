/**
 * Reduces a photo in the browser before it is uploaded: decoded (with the camera's orientation applied), drawn on a
 * canvas no larger than 2,048 px on its longest side, and encoded again as JPEG. The new file carries none of the
 * original's EXIF (place, device, time): the place was offered to the agent before (logic/photos.ts exifGps). A PDF
 * goes as it is. A photo the browser cannot decode (HEIC outside Safari) is refused with the way out.
 */
import { fitWithin, uploadKind } from '../logic/photos';

export class UnreadablePhotoError extends Error {}

const JPEG_QUALITY = 0.85;

export async function prepareUpload(file: File): Promise<{ blob: Blob; contentType: 'image/jpeg' | 'application/pdf' }> {
  const kind = uploadKind(file);
  if (kind === 'pdf') return { blob: file, contentType: 'application/pdf' };
  if (kind === 'other') throw new UnreadablePhotoError(file.type || file.name);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new UnreadablePhotoError(kind);
  }
  const size = fitWithin(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (!context) throw new UnreadablePhotoError(kind);
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
  if (!blob) throw new UnreadablePhotoError(kind);
  return { blob, contentType: 'image/jpeg' };
}
