/** Hub settings from the environment (README "Configuration"). */
import { resolve } from 'node:path';
import { type MailSettings, mailSettingsFromEnv } from './alerts/sendmail.js';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from './live/status.js';

/** A setting with a value the hub cannot use; the message names the variable. */
export class ConfigError extends Error {}

export interface HubConfig {
  dataDir: string;
  httpHost: string;
  httpPort: number;
  agentHost: string;
  agentPort: number;
  /** Password for the first admin; generated when absent. */
  adminPassword?: string;
  /** Directory of the built UI. */
  uiRoot: string;
  /** Directory of the built bundles (agent.mjs, install.sh): the running hub's own; default ./dist. */
  bundleDir?: string;
  /** Run an agent for this host too (LOCAL_AGENT=1; the standalone always does). */
  localAgent?: boolean;
  /** Extra host names or IPs for the agent port's certificate (AGENT_TLS_NAMES, comma-separated). */
  agentTlsNames: string[];
  /** The agent socket's URL as nodes reach it, when it differs from wss://AGENT_HOST:AGENT_PORT/agent. */
  agentPublicUrl?: string;
  /** When a server counts as inactive (silent) or warning (busy). */
  thresholds: StatusThresholds;
  /** Unix socket for the Webmin module's gateway CGI (GATEWAY_SOCKET), created root-only; none when absent. */
  gatewaySocket?: string;
  /** How alert e-mails are sent (SENDMAIL, ALERT_MAIL_FROM); from the environment when absent. */
  mail?: MailSettings;
  /** UC_AWS_ENDPOINT: the Auto Scaling endpoint the SDK calls instead of AWS's (for tests). */
  awsEndpoint?: string;
}

function numberIn(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`${name} must be a number from ${min} to ${max}, not '${raw}'`);
  return n;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number (0-65535), not '${raw}'`);
  return n;
}

/** Where the built bundles are: the running hub's directory, or ./dist (tests run from the repository). */
export const bundleDir = (config: Pick<HubConfig, 'bundleDir'>) => config.bundleDir ?? resolve('dist');

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name] ?? '';
  if (raw !== '' && raw !== '0' && raw !== '1') throw new ConfigError(`${name} must be 1 or 0, not '${raw}'`);
  return raw === '1';
}

export function configFromEnv(env: NodeJS.ProcessEnv, defaults: { uiRoot: string; dataDir: string; bundleDir?: string }): HubConfig {
  return {
    dataDir: resolve(env['DATA_DIR'] || defaults.dataDir),
    httpHost: env['HUB_HOST'] || '127.0.0.1',
    httpPort: port(env, 'HUB_PORT', 8080),
    agentHost: env['AGENT_HOST'] || '127.0.0.1',
    agentPort: port(env, 'AGENT_PORT', 10443),
    adminPassword: env['ADMIN_PASSWORD'] || undefined,
    uiRoot: resolve(env['UI_ROOT'] || defaults.uiRoot),
    ...(defaults.bundleDir ? { bundleDir: resolve(defaults.bundleDir) } : {}),
    localAgent: flag(env, 'LOCAL_AGENT'),
    mail: mailSettingsFromEnv(env),
    agentTlsNames: (env['AGENT_TLS_NAMES'] ?? '').split(',').map((n) => n.trim()).filter(Boolean),
    agentPublicUrl: env['AGENT_PUBLIC_URL'] || undefined,
    gatewaySocket: env['GATEWAY_SOCKET'] ? resolve(env['GATEWAY_SOCKET']) : undefined,
    awsEndpoint: env['UC_AWS_ENDPOINT'] || undefined,
    thresholds: {
      staleMs: numberIn(env, 'STALE_AFTER_MS', DEFAULT_THRESHOLDS.staleMs, 1000, 3_600_000),
      cpuPct: numberIn(env, 'WARN_CPU_PCT', DEFAULT_THRESHOLDS.cpuPct, 0, 101),
      memPct: numberIn(env, 'WARN_MEM_PCT', DEFAULT_THRESHOLDS.memPct, 0, 101),
      diskPct: numberIn(env, 'WARN_DISK_PCT', DEFAULT_THRESHOLDS.diskPct, 0, 101),
    },
  };
}
