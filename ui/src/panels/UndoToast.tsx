/** "Deleted … Undo" for a few seconds after a delete: one click puts it back (POST /api/undo). */
import { useEffect, useState } from 'preact/hooks';
import { type Deleted, undo } from '../edits.js';

/** How long the offer shows; the hub keeps a deletion for a minute. */
export const UNDO_SHOW_MS = 10_000;

export function UndoToast({ base, deleted, onClose, onResult }: { base: string; deleted: Deleted; onClose(): void; onResult(text: string, error?: boolean): void }) {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const t = setTimeout(onClose, UNDO_SHOW_MS);
    return () => clearTimeout(t);
  }, [deleted]);
  const run = async () => {
    setBusy(true);
    try {
      await undo(base, deleted);
      onResult(`Restored ${deleted.label}.`);
    } catch (e) {
      onResult(`Could not restore ${deleted.label}: ${e instanceof Error ? e.message : String(e)}`, true);
    } finally {
      setBusy(false);
      onClose();
    }
  };
  return (
    <div class="uc-toast" role="status" data-testid="undo-toast">
      <span>Deleted {deleted.label}.</span>
      <button type="button" class="uc-secondary" data-testid="undo" disabled={busy} onClick={run}>Undo</button>
      <button type="button" class="uc-ghost-dark" aria-label="Dismiss" onClick={onClose}>×</button>
    </div>
  );
}
