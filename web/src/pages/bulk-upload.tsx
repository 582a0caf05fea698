// Bulk upload (CSV.md): the template, a dry run of the chosen file, a review of every error by
// row and column, upload again after fixing, then the import itself, optionally approving all.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, importTemplateUrl, type Upload } from '../api';
import { ErrorMessage, Switch } from '../components/ui';
import { formatSize, plural } from '../format';
import { announce } from '../notice';
import { Link } from '../router';
import { useSession } from '../session';
import type { DateFormat, ImportResult } from '../types';

const FORMATS: DateFormat[] = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'];

type Stage = { kind: 'idle' } | { kind: 'checking' | 'importing'; progress: number } | { kind: 'checked'; result: ImportResult } | { kind: 'imported'; result: ImportResult };

export function BulkUploadPage() {
  const { can, has, org } = useSession();
  useEffect(() => {
    document.title = 'Bulk upload · Bonafides';
  }, []);
  const head = (
    <>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link href="/credentials">Credentials</Link> › <span aria-current="page">Bulk upload</span>
      </nav>
      <div class="page-head">
        <div>
          <h1>Bulk upload</h1>
          <p class="muted">Add or renew many credentials at once from a CSV file. Nothing is written until the whole file is free of errors.</p>
        </div>
      </div>
    </>
  );
  if (!has('/api/v1/credential-imports'))
    return (
      <>
        {head}
        <p class="empty">This server does not offer bulk upload yet.</p>
      </>
    );
  if (!can('credentials.manage'))
    return (
      <>
        {head}
        <p class="empty">Bulk upload is for people who manage credentials (the credentials.manage permission).</p>
      </>
    );
  return (
    <>
      {head}
      <BulkUpload defaultFormat={org.date_format} />
    </>
  );
}

function BulkUpload({ defaultFormat }: { defaultFormat: DateFormat }) {
  const [file, setFile] = useState<File | null>(null);
  const [dateFormat, setDateFormat] = useState('');
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [approve, setApprove] = useState(false);
  const [over, setOver] = useState(false);
  const [reporting, setReporting] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const running = useRef<Upload<ImportResult> | null>(null);
  const reviewHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => () => running.current?.abort(), []);
  useEffect(() => {
    if (stage.kind === 'checked' || stage.kind === 'imported') reviewHeading.current?.focus();
  }, [stage.kind]);

  const send = async (f: File, dry: boolean, fmt = dateFormat) => {
    running.current?.abort();
    setError(undefined);
    setStage({ kind: dry ? 'checking' : 'importing', progress: 0 });
    const up = api.importCredentials(f, { dry_run: dry, approve: !dry && approve, date_format: fmt || undefined }, (p) =>
      setStage((s) => (s.kind === 'checking' || s.kind === 'importing' ? { ...s, progress: p } : s)),
    );
    running.current = up;
    try {
      const result = await up.promise;
      if (running.current !== up) return;
      if (!dry && result.committed !== false && !result.errors.length) {
        setStage({ kind: 'imported', result });
        announce(`Imported ${plural(result.rows, 'row')}`);
      } else {
        setStage({ kind: 'checked', result });
        announce(result.errors.length ? `${plural(result.errors.length + result.errors_truncated, 'error')} found` : 'No errors found');
      }
    } catch (e) {
      if (e instanceof ApiError && e.code === 'aborted') return;
      setStage({ kind: 'idle' });
      setError(e instanceof ApiError ? e : new ApiError({ status: 0, detail: String(e) }));
    } finally {
      if (running.current === up) running.current = null;
    }
  };

  const choose = (list: FileList | null | undefined) => {
    const f = list?.[0];
    if (!f) return;
    setFile(f);
    setApprove(false);
    void send(f, true);
  };

  const downloadReport = async () => {
    if (!file) return;
    setReporting(true);
    try {
      const blob = await api.importReport(file, { dry_run: true, date_format: dateFormat || undefined });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${file.name.replace(/\.csv$/i, '')}-report.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0, detail: String(e) }));
    } finally {
      setReporting(false);
    }
  };

  const busy = stage.kind === 'checking' || stage.kind === 'importing';
  const result = stage.kind === 'checked' ? stage.result : undefined;
  const errorCount = result ? result.errors.length + result.errors_truncated : 0;
  const changes = result ? result.created + result.new_versions : 0;

  return (
    <div class="bulk-steps">
      <section class="card" aria-labelledby="step-template">
        <h2 id="step-template">1. Start from the template</h2>
        <p>
          One credential a row: <code>email</code>, <code>credential_type</code>, <code>issue_date</code>, <code>expiry_date</code> (empty for a type that does not expire) and{' '}
          <code>credential_number</code> (optional). A row for a credential someone already holds adds a new version when its dates or number differ.
        </p>
        <a class="button" href={importTemplateUrl} download="credentials-template.csv">
          Download the template
        </a>
      </section>

      <section class="card" aria-labelledby="step-file">
        <h2 id="step-file">2. {result || stage.kind === 'imported' ? 'Upload the file again, or another' : 'Upload your file'}</h2>
        <div class="field">
          <label for="bulk-date-format">Dates in the file</label>
          <select
            id="bulk-date-format"
            value={dateFormat}
            disabled={busy}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              setDateFormat(v);
              if (file && stage.kind === 'checked') void send(file, true, v);
            }}
          >
            <option value="">{defaultFormat === 'YYYY-MM-DD' ? 'YYYY-MM-DD (the organisation’s format)' : `${defaultFormat} (the organisation’s format) or YYYY-MM-DD`}</option>
            {FORMATS.filter((f) => f !== defaultFormat).map((f) => (
              <option key={f} value={f}>
                {f === 'YYYY-MM-DD' ? 'YYYY-MM-DD only' : `${f} or YYYY-MM-DD`}
              </option>
            ))}
          </select>
        </div>
        <div
          class={`dropzone big${over ? ' over' : ''}`}
          onDragEnter={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={(e) => {
            if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null)) setOver(false);
          }}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            if (!busy) choose(e.dataTransfer?.files);
          }}
        >
          <span aria-hidden="true" class="drop-text">
            Drop a CSV file here, or
          </span>
          <button type="button" class={result || stage.kind === 'imported' ? '' : 'primary'} disabled={busy} onClick={() => input.current?.click()}>
            {file ? 'Choose a corrected file…' : 'Choose a CSV file…'}
          </button>
          <input
            ref={input}
            type="file"
            accept=".csv,text/csv"
            class="visually-hidden"
            tabIndex={-1}
            aria-label="CSV file"
            onChange={(e) => {
              const el = e.target as HTMLInputElement;
              choose(el.files);
              el.value = '';
            }}
          />
        </div>
        {file && (
          <p class="small muted file-line">
            {file.name} · {formatSize(file.size)}
          </p>
        )}
        {busy && (
          <p class="upload-progress" aria-live="polite">
            <progress max={1} value={stage.progress < 1 ? stage.progress : undefined} aria-label={stage.kind === 'checking' ? 'Checking the file' : 'Importing'} />
            <span>{stage.progress < 1 ? `Uploading ${Math.round(stage.progress * 100)}%` : stage.kind === 'checking' ? 'Checking every row…' : 'Importing…'}</span>
          </p>
        )}
        <ErrorMessage error={error} />
      </section>

      {result && (
        <section class="card review" aria-labelledby="step-review">
          <h2 id="step-review" tabIndex={-1} ref={reviewHeading}>
            3. Review {file?.name}
          </h2>
          <Counts result={result} />
          {errorCount > 0 ? (
            <>
              <div class="error-box">
                <p>
                  <strong>{plural(errorCount, 'error')}</strong> in this file. Nothing is imported until every row is right: fix them and upload the file again.
                </p>
              </div>
              <div class="table-wrap">
                <table class="import-errors">
                  <caption class="visually-hidden">Errors by row and column (the header is row 1)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Row</th>
                      <th scope="col">Column</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.errors.map((e, i) => (
                      <tr key={i}>
                        <td>{e.row === 1 ? '1 (header)' : e.row}</td>
                        <td>{e.column ? <code>{e.column}</code> : <span class="muted">—</span>}</td>
                        <td>
                          {e.message} <span class="muted small">({e.code.replace(/_/g, ' ')})</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {result.errors_truncated > 0 && <p class="muted">…and {plural(result.errors_truncated, 'more error')} not listed.</p>}
              <p class="muted small">Rows are numbered as a spreadsheet shows them: the header is row 1.</p>
              <div class="actions left">
                <button type="button" disabled={reporting} onClick={downloadReport}>
                  {reporting ? 'Preparing the report…' : 'Download the report (CSV)'}
                </button>
                <button type="button" class="primary" disabled={busy} onClick={() => input.current?.click()}>
                  Upload a corrected file…
                </button>
              </div>
            </>
          ) : result.rows === 0 ? (
            <p class="empty">The file has no rows to import.</p>
          ) : changes === 0 ? (
            <p class="report">Every row matches what is already stored: there is nothing to import.</p>
          ) : (
            <>
              <p class="report">No errors: the file is ready to import.</p>
              <Switch checked={approve} onChange={setApprove} label={`Approve all ${plural(changes, 'imported version')}`} />
              <p class="hint small muted">Without this, new versions wait for approval where approvals are required.</p>
              <div class="actions left">
                <button type="button" class="primary" disabled={busy} onClick={() => file && send(file, false)}>
                  Import {plural(result.rows, 'row')}
                </button>
              </div>
            </>
          )}
        </section>
      )}

      {stage.kind === 'imported' && (
        <section class="card review done" aria-labelledby="step-done">
          <h2 id="step-done" tabIndex={-1} ref={reviewHeading}>
            Imported {file?.name}
          </h2>
          <Counts result={stage.result} done />
          <p>
            <Link href="/credentials?sort=-updated_at">See the credentials</Link>
          </p>
        </section>
      )}
    </div>
  );
}

function Counts({ result: r, done }: { result: ImportResult; done?: boolean }) {
  const items: [string, number | undefined][] = [
    ['Rows', r.rows],
    [done ? 'Created' : 'To create', r.created],
    [done ? 'New versions' : 'New versions', r.new_versions],
    ['Unchanged', r.unchanged],
  ];
  if (done) items.push(['Approved', r.approved ?? 0]);
  else items.push(['Errors', r.errors.length + r.errors_truncated]);
  return (
    <dl class="import-counts">
      {items.map(([label, n]) => (
        <div key={label} class={label === 'Errors' && n ? 'bad' : ''}>
          <dt>{label}</dt>
          <dd>{n ?? 0}</dd>
        </div>
      ))}
    </dl>
  );
}
