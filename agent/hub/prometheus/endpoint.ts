/**
 * GET /metrics on the hub's HTTP port: the fleet and the hub in Prometheus' text format. Needs a
 * credential like the API (Basic, Bearer API token or session) and the `view` flag; a scoped user
 * sees only its servers. Errors are the API's JSON errors (thrown as HttpError to the caller).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Services } from '../api/context.js';
import { clusterInScope, requireFlag, visibleModel, type View } from '../auth/acl.js';
import { HttpError } from '../errors.js';
import { acceptsGzip } from '../http/accepts-gzip.js';
import { SECURITY_HEADERS } from '../http/respond.js';
import { CONTENT_TYPE, renderExposition } from './exposition.js';
import { fleetFamilies } from './fleet.js';
import { galeraFamilies } from '../galera/prometheus.js';
import { glusterFamilies } from './gluster-families.js';
import { hubFamilies } from './hub-families.js';
import { ProcessStats } from './process-stats.js';
import { scalingFamilies } from './scaling-families.js';

export const METRICS_PATH = '/metrics';

const gzipAsync = promisify(gzip);
/** Below this a scrape is sent as is: compressing a few kB costs more than it saves. */
const GZIP_MIN_BYTES = 4096;

/** Hub-wide numbers the endpoint cannot read from the services. */
export interface HubGauges {
  browserClients(): number;
}

export class MetricsEndpoint {
  private readonly processStats = new ProcessStats();

  constructor(private readonly svc: Services, private readonly gauges: HubGauges) {}

  /** The exposition the caller of `req` may see. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, 'method_not_allowed', `${req.method ?? ''} is not allowed on ${METRICS_PATH}`);
    }
    const who = await this.svc.authenticator.authenticate(req);
    requireFlag(who.acl, 'view');
    const text = Buffer.from(this.render(visibleModel(this.svc.store.state, who.acl), (c) => clusterInScope(who.acl, c)));
    const compress = text.length >= GZIP_MIN_BYTES && acceptsGzip(req.headers['accept-encoding']);
    // Compressed off the event loop (zlib's thread pool): a 10k-server scrape is tens of MB of text.
    const body = compress ? await gzipAsync(text, { level: 1 }) : text;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPE,
      'cache-control': 'no-store',
      vary: 'Accept-Encoding, Authorization, Cookie',
      'content-length': body.length,
      ...(compress ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
  };

  close(): void {
    this.processStats.close();
  }

  private render(view: View, sees: (cluster: string) => boolean): string {
    const { live, store } = this.svc;
    let agents = 0;
    for (const s of view.servers) if (live.isConnected(s.id)) agents++;
    const hub = hubFamilies({
      agentsConnected: agents,
      servers: view.servers.length,
      browserClients: this.gauges.browserClients(),
      stateRevision: store.state.revision,
      process: this.processStats.read(),
    });
    const { scaler, schedules } = this.svc;
    const scaling = scalingFamilies(scaler.views().filter((v) => sees(v.cluster)), scaler.counts, schedules.views().filter((j) => !j.cluster || sees(j.cluster)));
    const names = new Set(view.clusters.map((c) => c.name));
    const gluster = glusterFamilies(this.svc.gluster.views((c) => names.has(c)));
    return renderExposition([...fleetFamilies(view, live), ...galeraFamilies(view, (c) => this.svc.galera.view(c)), ...gluster, ...hub, ...scaling]);
  }
}
