/**
 * "Add a node": create a join token (expiry, uses, and what the node becomes), show the one-line
 * install command once with a Copy button, and list the live tokens with a way to revoke each.
 * Shown only to users with the "enroll agents" permission (the Dashboard decides).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { SERVER_TYPES } from '../../../agent/protocol/common.js';
import {
  type CreatedJoinToken, type ListedJoinToken, ApiFailure, createJoinToken, listJoinTokens, revokeJoinToken,
} from '../api.js';
import { type CopyOutcome, copyOrSelect } from '../clipboard.js';
import { expiresIn, labelText, tokenRequest } from '../join-tokens.js';
import type { Model } from '../store.js';
import { throttle } from '../throttle.js';

/** Tokens expire and get used up on the hub; the list is fetched again this often at most. */
const REFRESH_MS = 30_000;
const MIN_REFRESH_GAP_MS = 2000;

const message = (e: unknown) => (e instanceof ApiFailure || e instanceof Error ? e.message : String(e));
const localTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const nodes = (n: number) => `${n} node${n === 1 ? '' : 's'}`;

/** The live tokens, fetched on mount, every REFRESH_MS, whenever the servers change (a node enrolling uses a token up), and on demand. */
function useLiveTokens(base: string, servers: Model['servers']) {
  const [tokens, setTokens] = useState<ListedJoinToken[]>();
  const [error, setError] = useState<string>();
  // Answers can cross on the wire: only the latest request's answer is shown.
  const seq = useRef(0);
  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const list = await listJoinTokens(base);
      if (mine === seq.current) { setTokens(list); setError(undefined); }
    } catch (e) {
      if (mine === seq.current) setError(`Could not load the join tokens: ${message(e)}`);
    }
  }, [base]);
  const soon = useMemo(() => throttle(() => { void refresh(); }, MIN_REFRESH_GAP_MS), [refresh]);
  useEffect(() => { soon(); }, [servers, soon]);
  useEffect(() => {
    const t = setInterval(soon, REFRESH_MS);
    return () => { clearInterval(t); soon.cancel(); seq.current++; };
  }, [soon]);
  return { tokens, error, refresh };
}

/** The install command of a token just made, with Copy; the token is never shown again. */
function CreatedToken({ created }: { created: CreatedJoinToken }) {
  const field = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<CopyOutcome>();
  useEffect(() => setCopied(undefined), [created]);
  const copy = async () => {
    if (field.current) setCopied(await copyOrSelect(created.installCommand, field.current));
  };
  return (
    <div class="uc-join-result" data-testid="join-result">
      {created.warning && <p class="uc-error" role="alert" data-testid="join-warning">{created.warning}</p>}
      <label for="uc-join-command">Install command for the new node (run it there as root)</label>
      <div class="uc-copy-row">
        <textarea
          id="uc-join-command" ref={field} class="uc-mono" readOnly rows={3} spellcheck={false}
          value={created.installCommand} aria-describedby="uc-join-once" data-testid="join-command"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="uc-secondary" onClick={copy} data-testid="join-copy">Copy</button>
      </div>
      <p id="uc-join-once" class="uc-note" data-testid="join-once">
        <strong>Shown only once:</strong> the hub keeps only a hash of the token. It works for {nodes(created.usesLeft)} until{' '}
        <time dateTime={created.expiresAt}>{localTime(created.expiresAt)}</time> ({expiresIn(created.expiresAt, Date.now())}).
      </p>
      <p class="uc-note" data-testid="join-how">
        On a Debian or Ubuntu node with <code>curl</code>: it fetches the agent from this hub (trusting only this hub's key),
        installs Node.js from the distribution when it is missing, and runs the agent as a service that reports
        to <code>{created.agentUrl}</code>. The node's server id is its host name; to choose another, end the command
        with <code>| sh -s -- --id NAME</code> instead of <code>| sh</code>.
      </p>
      <p class="uc-note" role="status" data-testid="join-copy-status">
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'selected' ? 'Selected: press Ctrl+C (or ⌘C) to copy it.' : ''}
      </p>
    </div>
  );
}

function TokenRow({ token, busy, onRevoke }: { token: ListedJoinToken; busy: boolean; onRevoke(t: ListedJoinToken): void }) {
  return (
    <tr data-testid="join-token-row" data-id={token.id}>
      <th scope="row" data-col="id"><code>{token.id}</code></th>
      <td data-col="created-by">{token.createdBy}</td>
      <td data-col="expires"><time dateTime={token.expiresAt} title={localTime(token.expiresAt)}>{expiresIn(token.expiresAt, Date.now())}</time></td>
      <td class="uc-num" data-col="uses">{token.usesLeft}</td>
      <td data-col="type">{token.type ?? 'agent decides'}</td>
      <td data-col="cluster">{token.cluster ?? '—'}</td>
      <td data-col="labels">{labelText(token.labels) || '—'}</td>
      <td class="uc-actions">
        <button type="button" class="uc-secondary uc-danger" disabled={busy} onClick={() => onRevoke(token)}
          aria-label={`Revoke join token ${token.id}`} data-testid="join-revoke">Revoke</button>
      </td>
    </tr>
  );
}

export function JoinTokensPanel({ base, model }: { base: string; model: Model }) {
  const live = useLiveTokens(base, model.servers);
  const [created, setCreated] = useState<CreatedJoinToken>();
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [revoking, setRevoking] = useState<string>();
  // Kept apart from the list's own error: the refresh after a failed revoke must not hide it.
  const [revokeError, setRevokeError] = useState<string>();
  const clusters = [...model.clusters.keys()].sort();
  // The hub makes a user limited to some clusters put the node in one of them.
  const mustPickCluster = model.user.acl.scope !== '*';

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const field = (name: string) => String(f.get(name) ?? '');
    const body = tokenRequest({ expires: field('expires'), uses: field('uses'), type: field('type'), labels: field('labels'), cluster: field('cluster') });
    if (!body.ok) return setFormError(body.error);
    setBusy(true);
    setFormError(undefined);
    try {
      setCreated(await createJoinToken(base, body.value));
      void live.refresh();
    } catch (err) {
      setFormError(`The join token was not created: ${message(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (t: ListedJoinToken) => {
    if (!confirm(`Revoke join token ${t.id}? Nodes that have not enrolled with it yet will not be able to.`)) return;
    setRevoking(t.id);
    setRevokeError(undefined);
    try {
      await revokeJoinToken(base, t.id);
    } catch (err) {
      setRevokeError(`Join token ${t.id} was not revoked: ${message(err)}`);
    } finally {
      setRevoking(undefined);
      void live.refresh();
    }
  };

  const tokens = live.tokens ?? [];
  return (
    <section class="uc-card uc-join" aria-labelledby="uc-join-title" data-testid="join-panel">
      <h2 id="uc-join-title">Add a node</h2>
      <div class="uc-join-body">
        <p class="uc-note">
          Make a join token, then run the install command on the new node. Its agent enrolls once, pinning this hub's
          certificate, and the node shows up in the server list as soon as it reports.
        </p>
        <form class="uc-join-form" onSubmit={submit} data-testid="join-form" aria-describedby={formError ? 'uc-join-error' : undefined}>
          <div class="uc-field">
            <label for="uc-join-type">Type</label>
            <select id="uc-join-type" name="type" data-testid="join-type">
              <option value="">Agent decides (web)</option>
              {SERVER_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </div>
          <div class="uc-field">
            <label for="uc-join-cluster">Cluster</label>
            <select id="uc-join-cluster" name="cluster" required={mustPickCluster} data-testid="join-cluster">
              {!mustPickCluster && <option value="">None</option>}
              {clusters.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </div>
          <div class="uc-field uc-field-wide">
            <label for="uc-join-labels">Labels</label>
            <input id="uc-join-labels" name="labels" placeholder="zone=a, tier=edge" autocomplete="off" data-testid="join-labels" />
          </div>
          <div class="uc-field">
            <label for="uc-join-expires">Expires in (minutes)</label>
            <input id="uc-join-expires" name="expires" type="number" min={1} max={43200} step={1} defaultValue="60" required data-testid="join-expires" />
          </div>
          <div class="uc-field">
            <label for="uc-join-uses">Uses (nodes)</label>
            <input id="uc-join-uses" name="uses" type="number" min={1} max={100000} step={1} defaultValue="1" required data-testid="join-uses" />
          </div>
          <button type="submit" class="uc-primary" disabled={busy} data-testid="join-create">{busy ? 'Creating…' : 'Create join token'}</button>
        </form>
        {formError && <p id="uc-join-error" class="uc-error" role="alert" data-testid="join-error">{formError}</p>}
        {created && <CreatedToken created={created} />}
      </div>
      <h3 class="uc-join-subhead">Live join tokens <span class="uc-count" data-testid="join-token-count">{tokens.length}</span></h3>
      {[live.error, revokeError].filter(Boolean).map((text) => (
        <p key={text} class="uc-error uc-join-list-error" role="alert" data-testid="join-list-error">{text}</p>
      ))}
      <div class="uc-table-wrap">
        {tokens.length > 0 && (
          <table class="uc-table" data-testid="join-tokens">
            <caption class="uc-sr-only">Join tokens that can still be used</caption>
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Created by</th>
                <th scope="col">Expires</th>
                <th scope="col" class="uc-num">Uses left</th>
                <th scope="col">Type</th>
                <th scope="col">Cluster</th>
                <th scope="col">Labels</th>
                <th scope="col"><span class="uc-sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>{tokens.map((t) => <TokenRow key={t.id} token={t} busy={revoking === t.id} onRevoke={revoke} />)}</tbody>
          </table>
        )}
        {live.tokens && !tokens.length && <p class="uc-empty">No live join tokens.</p>}
      </div>
    </section>
  );
}
