/**
 * The browser's half of an attachment: the multipart POST of the signed fields and the file straight to the bucket
 * (never through the API), with progress. XMLHttpRequest, because fetch reports no upload progress.
 */
export class UploadRefusedError extends Error {
  constructor(
    readonly status: number,
    /** S3's error code (`EntityTooLarge`, `AccessDenied`...), when its XML says. */
    readonly code: string | undefined,
  ) {
    super(`upload refused (${status}${code ? ` ${code}` : ''})`);
  }
}

export function postToBucket(upload: { url: string; fields: Record<string, string> }, blob: Blob, onProgress: (fraction: number) => void): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  // The file goes last: S3 ignores fields after it.
  form.append('file', blob);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', upload.url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new UploadRefusedError(xhr.status, /<Code>([^<]+)<\/Code>/.exec(xhr.responseText)?.[1]));
    };
    xhr.onerror = () => reject(new UploadRefusedError(0, undefined));
    xhr.send(form);
  });
}
