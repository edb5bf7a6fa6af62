/**
 * Adds a server, or edits one (name, type, address, region, labels, ports; the id never changes):
 * the usual ports of the chosen type are offered with one click. Mistakes are named next to the
 * field; the hub's reason otherwise. Test ids start with `add-` or `edit-`.
 */
import { useState } from 'preact/hooks';
import { SERVER_TYPES } from '../../../agent/protocol/common.js';
import type { Server, ServerType } from '../../../agent/protocol/types.js';
import { createServer } from '../api.js';
import { TYPE_LABEL } from '../canvas/colors.js';
import { patchServer } from '../edits.js';
import { DEFAULT_PORTS, type Field, formatLabels, parseLabels, parsePorts, serverFormErrors } from '../server-form.js';

export function ServerForm({ base, server, taken, onDone }: {
  base: string;
  /** The server to edit; absent to add one. */
  server?: Server;
  taken(id: string): boolean;
  onDone(id?: string): void;
}) {
  const mode = server ? 'edit' : 'add';
  const [f, setF] = useState<Record<Field, string>>({
    id: server?.id ?? '', name: server?.name ?? '', address: server?.address ?? '', region: server?.region ?? '',
    labels: server ? formatLabels(server.labels) : '', ports: server?.ports.join(', ') ?? '',
  });
  const [type, setType] = useState<ServerType>(server?.type ?? 'web');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [hubError, setHubError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ports = parsePorts(f.ports);
  const offered = DEFAULT_PORTS[type].filter((p) => typeof ports === 'string' || !ports.includes(p));

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs = serverFormErrors(f, server ? null : taken);
    setErrors(errs);
    setHubError(undefined);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const fields = {
      name: f.name.trim(), type, address: f.address.trim(), region: f.region.trim(),
      labels: parseLabels(f.labels) as Record<string, string>, ports: parsePorts(f.ports) as number[],
    };
    try {
      if (server) await patchServer(base, server.id, fields); else await createServer(base, { id: f.id, ...fields });
      onDone(server?.id ?? f.id);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const field = (['address', 'name', 'id', 'region', 'labels', 'ports'] as const).find((k) => msg.startsWith(`/${k}`));
      if (field) setErrors({ [field]: `${msg.replace(/^\/\w+(\/\S*)? /, 'This ')}.` }); else setHubError(msg);
    } finally { setBusy(false); }
  };

  const input = (k: Field, label: string, placeholder: string, wide = false) => (
    <div class={wide ? 'uc-field uc-field-wide' : 'uc-field'}>
      <label for={`uc-${mode}-${k}`}>{label}</label>
      <input id={`uc-${mode}-${k}`} data-testid={`${mode}-${k}`} value={f[k]} placeholder={placeholder} aria-invalid={errors[k] ? 'true' : undefined}
        aria-describedby={errors[k] ? `uc-${mode}-${k}-error` : undefined} onInput={(e) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })} />
      {errors[k] && <span class="uc-field-error" id={`uc-${mode}-${k}-error`} data-testid={`${mode}-${k}-error`}>{errors[k]}</span>}
    </div>
  );

  return (
    <form class="uc-card uc-form" data-testid={`${mode}-server-form`} onSubmit={submit} noValidate aria-labelledby={`uc-${mode}-title`}>
      <h2 id={`uc-${mode}-title`}>{server ? `Edit ${server.name}` : 'Add a server'}</h2>
      <div class="uc-form-grid">
        {server ? <div class="uc-field"><span class="uc-field-label">Id</span><span data-testid="edit-id">{server.id}</span></div> : input('id', 'Id', 'web-3')}
        {input('name', 'Name', 'Web server 3')}
        <div class="uc-field">
          <label for={`uc-${mode}-type`}>Type</label>
          <select id={`uc-${mode}-type`} data-testid={`${mode}-type`} value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value as ServerType)}>
            {SERVER_TYPES.map((t) => <option key={t} value={t}>{TYPE_LABEL[t]}</option>)}
          </select>
        </div>
        {input('address', 'Address', '192.0.2.10')}
        {input('region', 'Region', 'eu-west')}
        {input('labels', 'Labels', 'tier=gold, zone=a', true)}
        <div class="uc-field uc-field-wide">
          <label for={`uc-${mode}-ports`}>Ports</label>
          <input id={`uc-${mode}-ports`} data-testid={`${mode}-ports`} value={f.ports} placeholder="80, 443" aria-invalid={errors.ports ? 'true' : undefined}
            onInput={(e) => setF({ ...f, ports: (e.target as HTMLInputElement).value })} />
          {offered.length > 0 && (
            <span class="uc-chips">{TYPE_LABEL[type]} usually serves {offered.map((p) => (
              <button type="button" class="uc-chip" data-testid={`${mode}-port-${p}`} onClick={() => setF({ ...f, ports: [...(typeof ports === 'string' ? [] : ports), p].join(', ') })}>+ {p}</button>
            ))}</span>
          )}
          {errors.ports && <span class="uc-field-error" data-testid={`${mode}-ports-error`}>{errors.ports}</span>}
        </div>
      </div>
      {hubError && <p class="uc-error" role="alert" data-testid={`${mode}-error`}>{hubError}</p>}
      <div class="uc-form-actions">
        <button type="button" class="uc-secondary" data-testid={`${mode}-cancel`} onClick={() => onDone()}>Cancel</button>
        <button type="submit" class="uc-primary" data-testid={`${mode}-submit`} disabled={busy}>{server ? 'Save' : 'Add server'}</button>
      </div>
    </form>
  );
}
