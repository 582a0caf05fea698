// Photos and PDFs of a credential: previews with downloads on its page, and the field of the
// credential form that uploads them as soon as they are chosen or dropped.
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { api, ApiError, mediaUrl, thumbnailUrl } from '../api';
import { Dialog } from '../components/ui';
import { formatSize, mediaKind, plural } from '../format';
import { announce } from '../notice';
import type { Media } from '../types';

/** At most this many files per version (PRODUCT.md); the server says so too. */
export const MAX_MEDIA = 10;
const ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf,.jpg,.jpeg,.png,.webp,.heic,.heif,.pdf';
/** Image types a browser shows in full; others (HEIC) only through the server's preview. */
const SHOWABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/** A square that stands for a file without a preview: its kind in letters. */
function FileIcon({ contentType, filename }: { contentType: string; filename: string }) {
  const kind = mediaKind(contentType);
  return (
    <span class={`file-icon${kind === 'PDF' ? ' pdf' : ''}`} role="img" aria-label={`${kind} file ${filename}`}>
      <svg viewBox="0 0 24 24" aria-hidden="true" width="22" height="22">
        <path d="M6 2h8l5 5v15H6z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
        <path d="M14 2v5h5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
      </svg>
      <span>{kind}</span>
    </span>
  );
}

/** The server's preview of a file (the first page of a PDF), or its icon when there is none. */
export function MediaThumb({ id, filename, contentType, src }: { id?: string; filename: string; contentType: string; src?: string }) {
  const url = src ?? (id ? thumbnailUrl(id) : undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [url]);
  if (!url || failed) return <FileIcon contentType={contentType} filename={filename} />;
  return (
    <span class="thumb-box">
      <img class="thumb" src={url} alt={`Preview of ${filename}`} loading="lazy" onError={() => setFailed(true)} />
      {contentType === 'application/pdf' && (
        <span class="thumb-tag" aria-hidden="true">
          PDF
        </span>
      )}
    </span>
  );
}

/** The files of one version: previews that open the full file, and downloads. */
export function MediaGallery({ media, label }: { media: Media[]; label: string }) {
  const [viewing, setViewing] = useState<Media | null>(null);
  if (!media.length) return <p class="muted">No photos or PDFs.</p>;
  return (
    <>
      <ul class="media-gallery" aria-label={label}>
        {media.map((m) => (
          <li key={m.id} class="media-card">
            {m.content_type === 'application/pdf' ? (
              <a class="media-open" href={mediaUrl(m.id)} target="_blank" rel="noopener" aria-label={`Open ${m.filename} (PDF, in a new tab)`}>
                <MediaThumb id={m.id} filename={m.filename} contentType={m.content_type} />
              </a>
            ) : (
              <button type="button" class="media-open" aria-label={`Open ${m.filename}`} onClick={() => setViewing(m)}>
                <MediaThumb id={m.id} filename={m.filename} contentType={m.content_type} />
              </button>
            )}
            <span class="media-meta">
              <span class="media-name" title={m.filename}>
                {m.filename}
              </span>
              <span class="muted small">
                {mediaKind(m.content_type)} · {formatSize(m.size)}
              </span>
              <a href={mediaUrl(m.id)} download={m.filename} class="small">
                Download<span class="visually-hidden"> {m.filename}</span>
              </a>
            </span>
          </li>
        ))}
      </ul>
      {viewing && <MediaViewer media={viewing} onClose={() => setViewing(null)} />}
    </>
  );
}

function MediaViewer({ media: m, onClose }: { media: Media; onClose: () => void }) {
  const full = SHOWABLE.has(m.content_type);
  return (
    <Dialog title={m.filename} onClose={onClose} wide>
      <div class="media-full">
        {full ? (
          <img src={mediaUrl(m.id)} alt={m.filename} />
        ) : (
          <>
            <img src={thumbnailUrl(m.id)} alt={`Preview of ${m.filename}`} />
            <p class="muted small">This browser cannot show {mediaKind(m.content_type)} files in full: download it to see the original.</p>
          </>
        )}
      </div>
      <div class="actions">
        <a class="button" href={mediaUrl(m.id)} target="_blank" rel="noopener">
          Open in a new tab
        </a>
        <a class="button primary" href={mediaUrl(m.id)} download={m.filename}>
          Download ({formatSize(m.size)})
        </a>
      </div>
    </Dialog>
  );
}

/** One file of the form: already attached, being uploaded, uploaded, or refused by the server. */
export interface MediaItem {
  key: string;
  filename: string;
  content_type: string;
  size: number;
  /** The id to send in media_ids, once there is one. */
  id?: string;
  status: 'uploading' | 'done' | 'failed';
  progress: number;
  error?: ApiError;
  /** A local preview while the server has none yet. */
  localUrl?: string;
  abort?: () => void;
}

let seq = 0;
const fromMedia = (m: Media): MediaItem => ({ key: `m${m.id}`, filename: m.filename, content_type: m.content_type, size: m.size, id: m.id, status: 'done', progress: 1 });

/** The files of a credential form: uploads start as soon as files are added. */
export function useMediaUploads(initial: Media[]) {
  const [items, setItems] = useState<MediaItem[]>(() => initial.map(fromMedia));
  const [notice, setNotice] = useState('');
  const live = useRef(items);
  live.current = items;
  const patch = (key: string, p: Partial<MediaItem>) => setItems((xs) => xs.map((x) => (x.key === key ? { ...x, ...p } : x)));

  // A closed form stops its uploads and lets go of its local previews.
  useEffect(
    () => () => {
      for (const x of live.current) {
        if (x.status === 'uploading') x.abort?.();
        if (x.localUrl) URL.revokeObjectURL(x.localUrl);
      }
    },
    [],
  );

  const add = useCallback((files: File[]) => {
    const room = MAX_MEDIA - live.current.filter((x) => x.status !== 'failed').length;
    const taken = files.slice(0, Math.max(0, room));
    const left = files.slice(taken.length);
    setNotice(left.length ? `A version holds at most ${MAX_MEDIA} files: ${left.map((f) => f.name).join(', ')} ${left.length === 1 ? 'was' : 'were'} not added.` : '');
    for (const file of taken) {
      const key = `u${++seq}`;
      const localUrl = file.type.startsWith('image/') && SHOWABLE.has(file.type) ? URL.createObjectURL(file) : undefined;
      const up = api.uploadMedia(file, (p) => patch(key, { progress: p }));
      setItems((xs) => [...xs, { key, filename: file.name, content_type: file.type || 'application/octet-stream', size: file.size, status: 'uploading', progress: 0, localUrl, abort: up.abort }]);
      up.promise.then(
        (m) => {
          patch(key, { status: 'done', progress: 1, id: m.id, content_type: m.content_type, size: m.size, filename: m.filename, abort: undefined });
          announce(`Uploaded ${m.filename}`);
        },
        (e: unknown) => {
          if (e instanceof ApiError && e.code === 'aborted') return;
          patch(key, { status: 'failed', abort: undefined, error: e instanceof ApiError ? e : new ApiError({ status: 0, detail: String(e) }) });
        },
      );
    }
  }, []);

  const remove = useCallback((key: string) => {
    const x = live.current.find((i) => i.key === key);
    if (x?.status === 'uploading') x.abort?.();
    if (x?.localUrl) URL.revokeObjectURL(x.localUrl);
    setItems((xs) => xs.filter((i) => i.key !== key));
    setNotice('');
  }, []);

  /** Puts files that are already stored (those of an earlier version) back in the list. */
  const keep = useCallback((media: Media[]) => {
    setItems((xs) => [...xs, ...media.filter((m) => !xs.some((x) => x.id === m.id)).map(fromMedia)].slice(0, MAX_MEDIA));
  }, []);

  const ids = items.filter((x) => x.status === 'done' && x.id).map((x) => x.id!);
  const uploading = items.some((x) => x.status === 'uploading');
  return { items, ids, uploading, notice, add, remove, keep };
}

export type MediaUploads = ReturnType<typeof useMediaUploads>;

interface FieldProps {
  uploads: MediaUploads;
  required: boolean;
  /** The server's (or the form's) message about media_ids. */
  message?: string;
  /** Files of the version before, offered for reuse in a renewal. */
  earlier?: { version: number; media: Media[] };
}

/** Photos or PDFs: drop them or choose them, each uploaded at once with its progress. */
export function MediaField({ uploads, required, message, earlier }: FieldProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const { items, add, remove, keep, notice } = uploads;
  const reusable = earlier?.media.filter((m) => !items.some((x) => x.id === m.id)) ?? [];
  const described = [`${id}-hint`, message ? `${id}-err` : '', notice ? `${id}-notice` : ''].filter(Boolean).join(' ');
  const take = (list: FileList | null | undefined) => {
    const files = Array.from(list ?? []);
    if (files.length) add(files);
  };
  return (
    <fieldset class={`field media-field${message ? ' invalid' : ''}`} aria-describedby={described}>
      <legend class="label-like">
        Photos or PDFs {required ? <span class="required">(required)</span> : <span class="muted">(optional)</span>}
      </legend>
      <div
        class={`dropzone${over ? ' over' : ''}`}
        onDragEnter={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={(e) => {
          if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          take(e.dataTransfer?.files);
        }}
      >
        <span aria-hidden="true" class="drop-text">
          Drag photos or PDFs here, or
        </span>
        <button type="button" onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          class="visually-hidden"
          tabIndex={-1}
          aria-label="Photos or PDFs"
          onChange={(e) => {
            const el = e.target as HTMLInputElement;
            take(el.files);
            el.value = '';
          }}
        />
      </div>
      <p class="hint" id={`${id}-hint`}>
        JPEG, PNG, WebP, HEIC or PDF, up to {MAX_MEDIA} files.{required ? ' Your organisation requires at least one.' : ''}
      </p>
      {message && (
        <p class="field-error" id={`${id}-err`}>
          {message}
        </p>
      )}
      {notice && (
        <p class="field-error" id={`${id}-notice`} role="alert">
          {notice}
        </p>
      )}
      {reusable.length > 0 && earlier && (
        <p class="reuse">
          <button type="button" class="link-button" onClick={() => keep(reusable)}>
            Keep {reusable.length === 1 ? 'the file' : `the ${plural(reusable.length, 'file')}`} of version {earlier.version}
          </button>{' '}
          <span class="muted small">({reusable.map((m) => m.filename).join(', ')})</span>
        </p>
      )}
      {items.length > 0 && (
        <ul class="upload-list" aria-label="Files of this version">
          {items.map((x) => (
            <li key={x.key} class={`upload ${x.status}`}>
              {x.status === 'failed' ? (
                <FileIcon contentType={x.content_type} filename={x.filename} />
              ) : (
                <MediaThumb id={x.status === 'done' ? x.id : undefined} src={x.status === 'uploading' ? x.localUrl : undefined} filename={x.filename} contentType={x.content_type} />
              )}
              <span class="upload-info">
                <span class="media-name" title={x.filename}>
                  {x.filename}
                </span>
                {x.status === 'uploading' ? (
                  <span class="upload-progress">
                    <progress max={1} value={x.progress} aria-label={`Uploading ${x.filename}`} />
                    <span class="small muted">{Math.round(x.progress * 100)}%</span>
                  </span>
                ) : x.status === 'done' ? (
                  <span class="small muted">
                    {mediaKind(x.content_type)} · {formatSize(x.size)}
                  </span>
                ) : (
                  <span class="field-error" role="alert">
                    {x.error?.status === 413 ? 'Too large: ' : x.error?.status === 415 ? 'Not accepted: ' : 'Not uploaded: '}
                    {x.error?.detail}
                  </span>
                )}
              </span>
              <button type="button" class="remove" onClick={() => remove(x.key)} aria-label={`${x.status === 'failed' ? 'Dismiss' : 'Remove'} ${x.filename}`}>
                {x.status === 'failed' ? 'Dismiss' : 'Remove'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
