/**
 * The hub looking at itself, for administrators (every flag, all clusters): GET /api/diagnostics
 * (files, disk, sockets, certificates, every agent's last report and clock) and GET /api/logs
 * (recent log lines, secrets removed). `clusterctl diagnose` and `clusterctl logs` read them.
 */
import { X509Certificate } from 'node:crypto';
import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Diagnostics } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { VERSION } from '../../version.js';
import { requireAdmin } from '../auth/acl.js';
import { badRequest } from '../errors.js';
import type { Reply } from '../http/router.js';
import type { ApiContext, Services } from './context.js';

const notAfter = (pem: string): string | null => {
  try { return new Date(new X509Certificate(pem).validTo).toISOString(); } catch { return null; }
};

async function stateFile(svc: Services): Promise<Diagnostics['stateFile']> {
  const path = svc.diagnostics.stateFile;
  const out = { path, bytes: 0, revision: svc.store.state.revision, writable: false };
  try {
    out.bytes = (await stat(path)).size;
    await access(dirname(path), constants.W_OK | constants.X_OK);
    out.writable = true;
    return out;
  } catch (e) {
    return { ...out, error: (e as Error).message };
  }
}

async function gateway(svc: Services): Promise<Diagnostics['gatewaySocket']> {
  const path = svc.diagnostics.gatewaySocket;
  if (!path) return null;
  try {
    const st = await stat(path);
    return { path, exists: st.isSocket(), mode: (st.mode & 0o777).toString(8).padStart(4, '0'), listening: svc.diagnostics.gatewayListening() };
  } catch {
    return { path, exists: false, mode: null, listening: svc.diagnostics.gatewayListening() };
  }
}

export async function diagnostics(ctx: ApiContext): Promise<Reply> {
  requireAdmin(ctx.who.acl);
  const { svc } = ctx;
  const now = Date.now();
  const fs = await statfs(svc.diagnostics.dataDir);
  const body: Diagnostics = {
    version: VERSION, now, uptimeSec: (now - svc.diagnostics.startedAt) / 1000,
    stateFile: await stateFile(svc),
    disk: { path: svc.diagnostics.dataDir, freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize },
    gatewaySocket: await gateway(svc),
    agentPort: { url: svc.agentUrl, caFingerprint: svc.caFingerprint, certNotAfter: notAfter(svc.diagnostics.certPem), caNotAfter: notAfter(svc.diagnostics.caPem) },
    agents: svc.store.state.servers.filter((s) => s.agent || svc.live.isConnected(s.id)).map((s) => {
      const r = svc.live.lastReport(s.id);
      return {
        serverId: s.id, name: s.name, connected: svc.live.isConnected(s.id), status: svc.live.status(s.id, now),
        lastReportAt: r ? new Date(r.receivedAt).toISOString() : null,
        clockSkewMs: r ? r.sampleTs - r.receivedAt : null,
        version: s.agent?.version ?? null,
      };
    }),
  };
  return { status: 200, body };
}

export async function logs(ctx: ApiContext): Promise<Reply> {
  requireAdmin(ctx.who.acl);
  const q = check(validators.hubLogQuery, Object.fromEntries(ctx.query));
  if (!q.ok) throw badRequest(`give ?since=SEQ and ?limit=N (both optional): ${q.error}`, 'invalid_query');
  return { status: 200, body: ctx.svc.logRing.read(Number(q.value.since ?? 0), Math.min(5000, Number(q.value.limit ?? 500))) };
}
