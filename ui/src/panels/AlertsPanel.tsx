/** Firing alerts (server, rule, value, since) and the few most recently resolved. */
import type { Alert } from '../../../agent/protocol/types.js';
import { alertTime, alertValue, firingAlerts, recentlyResolved } from '../alerts.js';
import type { Model } from '../store.js';

/** Resolved alerts listed under the firing ones. */
const SHOW_RESOLVED = 5;

function Row({ alert, model, resolved }: { alert: Alert; model: Model; resolved: boolean }) {
  const server = model.servers.get(alert.serverId);
  return (
    <tr data-testid="alert-row" data-id={alert.id} data-state={alert.state}>
      <th scope="row" data-col="server">{server?.name ?? alert.serverId}</th>
      <td data-col="rule">{alert.ruleName}</td>
      <td class="uc-num" data-col="value">{alertValue(alert)}</td>
      <td data-col="since"><time dateTime={alert.startedAt}>{alertTime(alert.startedAt)}</time></td>
      {resolved && <td data-col="resolved">{alert.resolvedAt && <time dateTime={alert.resolvedAt}>{alertTime(alert.resolvedAt)}</time>}</td>}
    </tr>
  );
}

function AlertTable({ alerts, model, resolved, caption }: { alerts: Alert[]; model: Model; resolved: boolean; caption: string }) {
  return (
    <table class="uc-table" data-testid={resolved ? 'resolved-alerts' : 'firing-alerts'}>
      <caption class="uc-sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Server</th>
          <th scope="col">Rule</th>
          <th scope="col" class="uc-num" title="When it fired">Value</th>
          <th scope="col">{resolved ? 'Fired' : 'Since'}</th>
          {resolved && <th scope="col">Resolved</th>}
        </tr>
      </thead>
      <tbody>{alerts.map((a) => <Row key={a.id} alert={a} model={model} resolved={resolved} />)}</tbody>
    </table>
  );
}

export function AlertsPanel({ model }: { model: Model }) {
  const firing = firingAlerts(model.alerts);
  const resolved = recentlyResolved(model.alerts, SHOW_RESOLVED);
  return (
    <section class="uc-card uc-alerts" aria-labelledby="uc-alerts-title" data-testid="alerts-panel">
      <h2 id="uc-alerts-title">
        Alerts <span class={firing.length ? 'uc-count uc-firing' : 'uc-count'} data-testid="alerts-firing-count">{firing.length} firing</span>
      </h2>
      <div class="uc-table-wrap">
        {firing.length
          ? <AlertTable alerts={firing} model={model} resolved={false} caption="Firing alerts" />
          : <p class="uc-empty">No alerts firing.</p>}
        {resolved.length > 0 && <>
          <h3 class="uc-subhead">Recently resolved</h3>
          <AlertTable alerts={resolved} model={model} resolved caption="Recently resolved alerts" />
        </>}
      </div>
    </section>
  );
}
