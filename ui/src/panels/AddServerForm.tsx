/** Adds a server by hand: id, name, type, address, region. Mistakes are named next to the field; the hub's reason otherwise. */
import { useState } from 'preact/hooks';
import { SERVER_TYPES } from '../../../agent/protocol/common.js';
import type { ServerCreate, ServerType } from '../../../agent/protocol/types.js';
import { createServer } from '../api.js';
import { TYPE_LABEL } from '../canvas/colors.js';
import { type Field, serverFormErrors } from '../server-form.js';

export function AddServerForm({ base, taken, onDone }: { base: string; taken(id: string): boolean; onDone(id?: string): void }) {
  const [f, setF] = useState<Record<Field, string>>({ id: '', name: '', address: '', region: '' });
  const [type, setType] = useState<ServerType>('web');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [hubError, setHubError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs = serverFormErrors(f, taken);
    setErrors(errs);
    setHubError(undefined);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const body: ServerCreate = { id: f.id, name: f.name.trim(), type, address: f.address.trim(), region: f.region.trim() };
    try {
      await createServer(base, body);
      onDone(f.id);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const field = (['address', 'name', 'id', 'region'] as const).find((k) => msg.startsWith(`/${k}`));
      if (field) setErrors({ [field]: `${msg.replace(/^\/\w+ /, 'This ')}.` }); else setHubError(msg);
    } finally { setBusy(false); }
  };

  const input = (k: Field, label: string, placeholder: string) => (
    <div class="uc-field">
      <label for={`uc-add-${k}`}>{label}</label>
      <input id={`uc-add-${k}`} data-testid={`add-${k}`} value={f[k]} placeholder={placeholder} aria-invalid={errors[k] ? 'true' : undefined}
        aria-describedby={errors[k] ? `uc-add-${k}-error` : undefined} onInput={(e) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })} />
      {errors[k] && <span class="uc-field-error" id={`uc-add-${k}-error`} data-testid={`add-${k}-error`}>{errors[k]}</span>}
    </div>
  );

  return (
    <form class="uc-card uc-form" data-testid="add-server-form" onSubmit={submit} noValidate aria-labelledby="uc-add-title">
      <h2 id="uc-add-title">Add a server</h2>
      <div class="uc-form-grid">
        {input('id', 'Id', 'web-3')}
        {input('name', 'Name', 'Web server 3')}
        <div class="uc-field">
          <label for="uc-add-type">Type</label>
          <select id="uc-add-type" data-testid="add-type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value as ServerType)}>
            {SERVER_TYPES.map((t) => <option key={t} value={t}>{TYPE_LABEL[t]}</option>)}
          </select>
        </div>
        {input('address', 'Address', '192.0.2.10')}
        {input('region', 'Region', 'eu-west')}
      </div>
      {hubError && <p class="uc-error" role="alert" data-testid="add-error">{hubError}</p>}
      <div class="uc-form-actions">
        <button type="button" class="uc-secondary" onClick={() => onDone()}>Cancel</button>
        <button type="submit" class="uc-primary" data-testid="add-submit" disabled={busy}>Add server</button>
      </div>
    </form>
  );
}
