/**
 * One operation as it runs: its steps (state, node, latest progress, error), the evidence each step
 * gathered (arrays of rows as tables), and, while it waits, its question with Confirm and Cancel
 * for a user with the flag it needs. Features embed it in their panels.
 */
import { useState } from 'preact/hooks';
import type { Acl, Operation } from '../../../agent/protocol/types.js';
import { STEP_MARKS, cancelOperation, confirmOperation, evidenceColumns, evidenceText, isUnfinished } from '../operations.js';

function Evidence({ facts }: { facts: Record<string, unknown> }) {
  return (
    <div class="uc-evidence">
      {Object.entries(facts).map(([key, value]) => {
        const rows = Array.isArray(value) && value.every((r) => typeof r === 'object' && r !== null) ? (value as Record<string, unknown>[]) : null;
        if (!rows) return <p class="uc-note"><strong>{key}</strong>: {evidenceText(value)}</p>;
        const cols = evidenceColumns(rows);
        return (
          <table class="uc-table uc-evidence-table" data-testid={`evidence-${key}`}>
            <caption>{key}</caption>
            <thead><tr>{cols.map((c) => <th scope="col">{c}</th>)}</tr></thead>
            <tbody>{rows.map((r) => <tr>{cols.map((c) => <td>{evidenceText(r[c])}</td>)}</tr>)}</tbody>
          </table>
        );
      })}
    </div>
  );
}

export function OperationView({ base, op, acl }: { base: string; op: Operation; acl: Acl }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const may = acl[op.flag];
  const act = async (what: (base: string, id: string) => Promise<Operation>) => {
    setBusy(true);
    setError(undefined);
    try {
      await what(base, op.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="uc-operation" data-testid={`operation-${op.id}`} data-state={op.state} data-kind={op.kind}>
      <h3>{op.title} <span class="uc-plan-state">{op.state}</span></h3>
      <p class="uc-note">Started by {op.createdBy} at {new Date(op.createdAt).toLocaleTimeString()}{op.finishedAt ? `, ended ${new Date(op.finishedAt).toLocaleTimeString()}` : ''}</p>
      {op.error && <p class="uc-error" role="alert">{op.error}</p>}
      <ol class="uc-op-steps">
        {op.steps.map((s) => (
          <li data-state={s.state} data-testid={`op-step-${s.id}`}>
            <span class="uc-op-mark" aria-label={s.state}>{STEP_MARKS[s.state]}</span> {s.title}
            {s.serverId && <span class="uc-note"> ({s.serverId})</span>}
            {s.detail && isUnfinished(op) && s.state === 'running' && <span class="uc-note"> — {s.detail}</span>}
            {s.error && <p class="uc-error">{s.error}</p>}
            {s.evidence && Object.keys(s.evidence).length > 0 && <Evidence facts={s.evidence} />}
          </li>
        ))}
      </ol>
      {op.state === 'waiting' && op.question && (
        <div class="uc-op-question" role="alertdialog" aria-label="Confirmation needed">
          <p><strong>{op.question}</strong></p>
          {may ? (
            <p>
              <button type="button" class="uc-primary" disabled={busy} onClick={() => act(confirmOperation)} data-testid="op-confirm">Confirm</button>{' '}
              <button type="button" class="uc-secondary" disabled={busy} onClick={() => act(cancelOperation)} data-testid="op-cancel">Cancel</button>
            </p>
          ) : <p class="uc-note">A user with the "{op.flag}" permission must answer.</p>}
        </div>
      )}
      {op.state === 'running' && may && (
        <button type="button" class="uc-secondary" disabled={busy} onClick={() => act(cancelOperation)} data-testid="op-stop">Stop after this step</button>
      )}
      {error && <p class="uc-error" role="alert">{error}</p>}
    </div>
  );
}
