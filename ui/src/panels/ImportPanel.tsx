/**
 * Import a model from JSON: read the file, check its shape, show what would change, and only
 * on confirmation send it; the hub validates it whole and applies all of it or nothing.
 */
import { useState } from 'preact/hooks';
import { importModel } from '../api.js';
import { type Preview, previewImport } from '../import-preview.js';
import type { Model } from '../store.js';

export function ImportPanel({ base, model, onDone }: { base: string; model: Model; onDone(message?: string): void }) {
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const onFile = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const p = previewImport(await file.text(), model);
    if (typeof p === 'string') { setError(p); setPreview(undefined); } else { setError(undefined); setPreview(p); }
  };
  const apply = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const r = await importModel(base, preview.doc);
      onDone(`Imported ${r.servers} servers, ${r.connections} connections and ${r.clusters} clusters.`);
    } catch (err) {
      setError(`Nothing was imported: ${err instanceof Error ? err.message : String(err)}`);
    } finally { setBusy(false); }
  };

  return (
    <section class="uc-card uc-form" data-testid="import-panel" aria-labelledby="uc-import-title">
      <h2 id="uc-import-title">Import a model</h2>
      <p class="uc-note">The file replaces every server, connection and cluster. Nothing changes until you confirm, and then all of it or nothing.</p>
      <input type="file" accept="application/json,.json" data-testid="import-file" onChange={onFile} />
      {error && <p class="uc-error" role="alert" data-testid="import-error">{error}</p>}
      {preview && (
        <div class="uc-preview" data-testid="import-preview">
          <p>{preview.doc.servers.length} servers, {preview.doc.connections.length} connections, {preview.doc.clusters.length} clusters.</p>
          <p>{preview.added.length} new, {preview.kept} kept, {preview.removed.length} removed{preview.removed.length ? `: ${preview.removed.slice(0, 10).join(', ')}${preview.removed.length > 10 ? '…' : ''}` : ''}.</p>
        </div>
      )}
      <div class="uc-form-actions">
        <button type="button" class="uc-secondary" onClick={() => onDone()}>Cancel</button>
        <button type="button" class="uc-primary" data-testid="import-confirm" disabled={!preview || busy} onClick={apply}>Replace the model</button>
      </div>
    </section>
  );
}
