/**
 * Photos and PDFs on a case, as the console handles them: the file picker (camera offered on phones), each file
 * reduced and uploaded straight to the bucket with its progress shown, then recorded by the API; thumbnails of a
 * case's files; a file's link on the timeline.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ATTACHMENT_KINDS_BY_ROLE } from '../../../functions/domain/attachment';
import type { Role } from '../../../functions/domain/actor';
import type { AttachmentKind, AttachmentView, CaseView, RecordedAttachment } from '../api/types';
import type { Endpoints } from '../api/endpoints';
import { postToBucket, UploadRefusedError } from '../api/upload';
import { ApiError } from '../api/client';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { localizeFieldMessage } from '../logic/errors';
import { prepareUpload, UnreadablePhotoError } from './photo-reduce';
import { useInterval } from './hooks';

/** A presigned read lasts a minute: the list is signed again before its URLs run out. */
const RESIGN_EVERY_MS = 50_000;

/** The three steps of one file: reduce it, have the API sign its upload, post it to the bucket, have it recorded. */
export async function attachFile(api: Endpoints, caseNo: string, kind: AttachmentKind, file: File, onProgress: (fraction: number) => void): Promise<RecordedAttachment> {
  const { blob, contentType } = await prepareUpload(file);
  const grant = await api.requestUpload(caseNo, { contentType, size: blob.size, kind });
  await postToBucket(grant.upload, blob, onProgress);
  return api.completeUpload(caseNo, { attachmentId: grant.attachmentId, kind });
}

export interface Upload {
  key: string;
  name: string;
  progress: number;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  error?: string;
}

/** What went wrong with one file, in the console's language. */
export function useUploadError(): (e: unknown) => string {
  const { t } = useI18n();
  return (e) => {
    if (e instanceof UnreadablePhotoError) return e.message === 'heic' ? t('attach.heic') : t('attach.unreadable');
    if (e instanceof UploadRefusedError) return t('attach.refused', { code: e.code ?? String(e.status) });
    if (e instanceof ApiError) return e.fields.length ? e.fields.map((f) => localizeFieldMessage(f.message, t)).join('; ') : e.message;
    return t('attach.failed');
  };
}

/** The file input: photos and PDFs; `capture` makes a phone offer its camera. */
export function FilePicker({ onFiles, disabled, label }: { onFiles: (files: File[]) => void; disabled?: boolean; label: string }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <label className="file-picker">
      <span>{label}</span>
      <input
        ref={input}
        type="file"
        accept="image/*,application/pdf"
        capture="environment"
        multiple
        disabled={disabled}
        data-testid="attach-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          if (input.current) input.current.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </label>
  );
}

/** Each file's progress while it uploads, and why one failed. */
export function UploadList({ uploads }: { uploads: readonly Upload[] }) {
  const { t } = useI18n();
  if (!uploads.length) return null;
  return (
    <ul className="upload-list" data-testid="upload-list">
      {uploads.map((u) => (
        <li key={u.key} data-state={u.state}>
          <span className="upload-name">{u.name}</span>{' '}
          <progress max={1} value={u.progress} aria-label={t('attach.progress', { name: u.name })} />{' '}
          <span className={u.state === 'failed' ? 'error' : 'muted'}>{u.state === 'failed' ? u.error : t(`attach.state.${u.state}`)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Uploads files one after the other to a case, tracking each one's progress. */
export function useUploads(): { uploads: Upload[]; run: (caseNo: string, kind: AttachmentKind, files: readonly File[]) => Promise<number> } {
  const { api } = useApp();
  const describe = useUploadError();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const run = useCallback(
    async (caseNo: string, kind: AttachmentKind, files: readonly File[]) => {
      const batch = files.map((f, i) => ({ key: `${Date.now()}-${i}-${f.name}`, name: f.name, progress: 0, state: 'waiting' as const }));
      setUploads(batch);
      const update = (key: string, change: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));
      let failed = 0;
      for (const [i, file] of files.entries()) {
        const key = batch[i].key;
        update(key, { state: 'uploading' });
        try {
          await attachFile(api, caseNo, kind, file, (progress) => update(key, { progress }));
          update(key, { state: 'done', progress: 1 });
        } catch (e) {
          failed += 1;
          update(key, { state: 'failed', error: describe(e) });
        }
      }
      return failed;
    },
    [api, describe],
  );
  return { uploads, run };
}

/** The kinds this role adds, in the order offered. */
export function attachableKinds(role: Role): readonly AttachmentKind[] {
  return ATTACHMENT_KINDS_BY_ROLE[role];
}

/** The case page's files: thumbnails of photos, links to PDFs, and adding more (who may, which kind). */
export function CaseAttachments({ c, files, onChanged }: { c: CaseView; files: readonly AttachmentView[]; onChanged: () => void }) {
  const { session } = useApp();
  const { t } = useI18n();
  const kinds = attachableKinds(session.user.role);
  const open = !['CLOSED', 'CANCELLED', 'MERGED'].includes(c.status);
  // The after photo is what a department adds once it has acknowledged; before that, a progress photo.
  const [kind, setKind] = useState<AttachmentKind | undefined>();
  const chosen = kind ?? (kinds.includes('after') && c.status === 'ACKNOWLEDGED' ? 'after' : kinds[0]);
  const { uploads, run } = useUploads();
  const [busy, setBusy] = useState(false);
  return (
    <section className="panel attachments" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('attach.title', { count: files.length })}</h2>
      {files.length === 0 && <p className="muted">{t('attach.none')}</p>}
      <ul className="thumbs" data-testid="thumbnails">
        {files.map((f) => (
          <li key={f.id}>
            <AttachmentLink file={f} />
          </li>
        ))}
      </ul>
      {open && kinds.length > 0 && chosen && (
        <div className="attach-form">
          <label>
            {t('attach.kind')}{' '}
            <select value={chosen} onChange={(e) => setKind(e.target.value as AttachmentKind)} data-testid="attach-kind" name="attachKind">
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`attachKind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <FilePicker
            label={t('attach.add')}
            disabled={busy}
            onFiles={(picked) => {
              setBusy(true);
              void run(c.caseNo, chosen, picked).finally(() => {
                setBusy(false);
                onChanged();
              });
            }}
          />
          <UploadList uploads={uploads} />
        </div>
      )}
    </section>
  );
}

/** A file as a thumbnail (photos) or a link (PDFs), labelled with its kind. */
export function AttachmentLink({ file }: { file: AttachmentView }) {
  const { t } = useI18n();
  const label = t('attach.fileLabel', { kind: t(`attachKind.${file.kind}`), type: file.contentType === 'application/pdf' ? 'PDF' : t('attach.photo') });
  return (
    <a href={file.url} target="_blank" rel="noopener noreferrer" className="attachment-link" data-attachment-id={file.id} data-kind={file.kind}>
      {file.contentType.startsWith('image/') ? <img src={file.url} alt={label} loading="lazy" width={96} height={96} /> : <span className="pdf-icon">PDF</span>}
      <span className="attachment-kind">{t(`attachKind.${file.kind}`)}</span>
    </a>
  );
}

/** The case's files with fresh read URLs, signed again before they expire and whenever the count changes. */
export function useCaseFiles(caseNo: string, count: number): { files: AttachmentView[]; reload: () => void } {
  const { api } = useApp();
  const [files, setFiles] = useState<AttachmentView[]>([]);
  const reload = useCallback(() => {
    api.attachments(caseNo).then(setFiles, () => undefined);
  }, [api, caseNo]);
  useEffect(() => {
     
    reload();
  }, [reload, count]);
  useInterval(() => {
    if (!document.hidden && count > 0) reload();
  }, RESIGN_EVERY_MS);
  return { files, reload };
}
