/**
 * What `clusterctl diagnose` concludes, pure: each check ok, warn or fail with one line of
 * detail, from the hub's health, its own diagnostics, and the TLS probe of the agent port made
 * from here. Failures make the exit code 1 (warnings too with --strict).
 */
import type { Diagnostics } from '../protocol/types.js';
import { renderTable } from './table.js';

export type Level = 'ok' | 'warn' | 'fail';
export interface Check { name: string; level: Level; detail: string }

/** The agent port as reached from here: its certificate's expiry, or why it could not be reached. */
export type TlsProbe = { ok: true; certNotAfter: string } | { ok: false; error: string };

export interface DiagnoseInput {
  hubUrl: string;
  health: { ok: true; version: string } | { ok: false; error: string };
  diagnostics: Diagnostics | { error: string } | undefined;
  tls: TlsProbe | undefined;
  /** This machine's clock (ms), to compare with the hub's. */
  now: number;
}

const DAY = 86_400_000;
export const SKEW_WARN_MS = 2_000;
export const SKEW_FAIL_MS = 30_000;
/** A report older than this from a connected agent is a warning. */
export const REPORT_STALE_MS = 10_000;

const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
const ago = (ms: number) => (ms < 1500 ? 'just now' : ms < 120_000 ? `${Math.round(ms / 1000)} s ago` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min ago` : `${Math.round(ms / 3_600_000)} h ago`);
const signed = (ms: number) => `${ms >= 0 ? '+' : '-'}${Math.abs(ms) < 1000 ? `${Math.round(Math.abs(ms))} ms` : `${(Math.abs(ms) / 1000).toFixed(1)} s`}`;

function expiry(name: string, notAfter: string | null, now: number): Check {
  if (!notAfter) return { name, level: 'warn', detail: 'its expiry date could not be read' };
  const left = new Date(notAfter).getTime() - now;
  if (left <= 0) return { name, level: 'fail', detail: `expired on ${notAfter.slice(0, 10)}` };
  return { name, level: left < 30 * DAY ? 'warn' : 'ok', detail: `valid until ${notAfter.slice(0, 10)} (${Math.floor(left / DAY)} days)` };
}

export function diagnose(i: DiagnoseInput): Check[] {
  const checks: Check[] = [];
  if (!i.health.ok) return [{ name: 'hub', level: 'fail', detail: i.health.error }];
  checks.push({ name: 'hub', level: 'ok', detail: `${i.hubUrl} answers, version ${i.health.version}` });
  const d = i.diagnostics;
  if (!d || 'error' in d) {
    checks.push({ name: 'hub diagnostics', level: 'fail', detail: d?.error ?? 'not read' });
    return checks;
  }
  const hubSkew = d.now - i.now;
  checks.push({ name: 'hub clock', level: Math.abs(hubSkew) > SKEW_WARN_MS + 1000 ? 'warn' : 'ok', detail: `${signed(hubSkew)} from this machine (request time included)` });
  if (i.tls) {
    checks.push(i.tls.ok
      ? { ...expiry('agent port (TLS)', i.tls.certNotAfter, i.now), detail: `${d.agentPort.url} presents a certificate of the hub's CA (sha256 ${d.agentPort.caFingerprint.slice(0, 16)}…), ${expiry('', i.tls.certNotAfter, i.now).detail}` }
      : { name: 'agent port (TLS)', level: 'fail', detail: `${d.agentPort.url}: ${i.tls.error}` });
  }
  checks.push({ ...expiry('CA', d.agentPort.caNotAfter, i.now), detail: `the CA agents pin: ${expiry('', d.agentPort.caNotAfter, i.now).detail}` });
  const g = d.gatewaySocket;
  if (!g) checks.push({ name: 'gateway socket', level: 'ok', detail: 'not used (standalone hub, no GATEWAY_SOCKET)' });
  else {
    const problems = [!g.exists && 'missing', g.exists && g.mode !== '0600' && `mode ${g.mode}, not 0600`, !g.listening && 'the hub is not listening on it'].filter(Boolean);
    checks.push({ name: 'gateway socket', level: problems.length ? 'fail' : 'ok', detail: `${g.path}${problems.length ? `: ${problems.join(', ')}` : ', mode 0600, listening'}` });
  }
  const sf = d.stateFile;
  checks.push({
    name: 'state file', level: sf.writable ? 'ok' : 'fail',
    detail: `${sf.path}, ${Math.ceil(sf.bytes / 1024)} KB, revision ${sf.revision}${sf.writable ? '' : `: cannot be written (${sf.error ?? 'no write access to its directory'})`}`,
  });
  const free = d.disk.freeBytes, share = d.disk.totalBytes ? free / d.disk.totalBytes : 0;
  checks.push({
    name: 'disk space', level: free < 50 * 1048576 || share < 0.02 ? 'fail' : free < 500 * 1048576 || share < 0.1 ? 'warn' : 'ok',
    detail: `${mb(free)} free of ${mb(d.disk.totalBytes)} (${Math.round(share * 100)} %) under ${d.disk.path}`,
  });
  if (!d.agents.length) checks.push({ name: 'agents', level: 'warn', detail: 'no agent has ever reported to this hub' });
  for (const a of d.agents) {
    const name = `agent ${a.serverId}`;
    const version = a.version ? `, version ${a.version}` : '';
    const last = a.lastReportAt ? d.now - new Date(a.lastReportAt).getTime() : null;
    if (!a.connected) {
      checks.push({ name, level: 'warn', detail: `not connected${last === null ? '' : `, last report ${ago(last)}`}${version}` });
      continue;
    }
    if (last === null || last > REPORT_STALE_MS) {
      checks.push({ name, level: 'warn', detail: `connected, but ${last === null ? 'no report yet' : `last report ${ago(last)}`}${version}` });
      continue;
    }
    const skew = a.clockSkewMs ?? 0;
    const level: Level = Math.abs(skew) > SKEW_FAIL_MS ? 'fail' : Math.abs(skew) > SKEW_WARN_MS ? 'warn' : 'ok';
    checks.push({ name, level, detail: `reporting (${a.status}), last report ${ago(last)}, clock ${signed(skew)} from the hub${level === 'ok' ? '' : ' (run NTP on both)'}${version}` });
  }
  return checks;
}

const MARK: Record<Level, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL' };

export function diagnoseReport(checks: readonly Check[]): string {
  const table = renderTable([{ header: 'CHECK' }, { header: 'RESULT' }, { header: 'DETAIL' }], checks.map((c) => [c.name, MARK[c.level], c.detail]));
  const fails = checks.filter((c) => c.level === 'fail').length, warns = checks.filter((c) => c.level === 'warn').length;
  const verdict = fails ? `unhealthy: ${fails} failed` : warns ? 'healthy' : 'healthy, nothing to report';
  return `${table}\n${verdict}${warns ? `, ${warns} warning${warns === 1 ? '' : 's'}` : ''}\n`;
}
