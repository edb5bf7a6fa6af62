/**
 * MariaDB Galera on this node. The contract of every applier: render the fragment, check it with
 * the real mariadbd (`--help --verbose` reads every option and refuses an unknown one or a bad
 * value, without touching the data), diff it against disk, write it with a backup, activate
 * (start, restart) and verify (Synced, watching the PID: a joiner that fails dies seconds later),
 * and roll back a failed activation. Plus what operations need: a clean stop, the node's
 * grastate.dat and recovered position, and a few fixed statements.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GaleraDesired, GaleraFilePlan, GaleraJob, GaleraJobResult, GaleraNodeFacts, GaleraNodeStatus, GaleraSecrets } from '../../protocol/types.js';
import { writeFileAtomic } from '../../hub/atomic-write.js';
import { ApplyError, type Progress } from '../contract.js';
import { unifiedDiff } from '../diff.js';
import { backupPath, readOrEmpty, replaceWithBackup, restore, run, sha256, validateText } from '../files.js';
import type { GaleraPaths } from '../paths.js';
import { chown, client, runningPid, sleep, startMariadbd, stopMariadbd } from './daemon.js';
import { MANAGED_MARK, needsRestart, renderGalera, renderMonitor, renderSecrets, statusFilePath, withoutInclude } from './render.js';
import { type SqlFacts, factsSql, opSql, parseFacts, quoteString, usersSql } from './sql.js';
import {
  STATUS_VARIABLES, joinedBy, markSafeToBootstrap, parseGrastate, parseRecoveredPosition, parseStatusRows, statusFromFile, statusFromRows,
  transferOf, whyItFailed,
} from './state-files.js';

const DEFAULT_START_TIMEOUT_MS = 10 * 60_000;
const STOP_TIMEOUT_MS = 5 * 60_000;
const STATUS_QUERY = `SHOW GLOBAL STATUS WHERE Variable_name IN (${STATUS_VARIABLES.map((v) => `'${v}'`).join(',')});`;

/** The lines of `mariadbd --help --verbose` output that say an option is wrong. */
function optionComplaints(output: string): string {
  return output.split('\n')
    .filter((l) => /\[ERROR\]/.test(l) || /\[Warning\] option '/.test(l) || /unknown (variable|option)/.test(l))
    .map((l) => l.replace(/^\S+ \S+ \d+ /, '').trim()).slice(0, 6).join(' ').slice(0, 1500);
}

export class GaleraApplier {
  private lastPaused: { pausedNs: number; at: number } | undefined;

  constructor(private readonly paths: GaleraPaths) {}

  private render(d: GaleraDesired): string {
    return renderGalera(d, this.paths);
  }

  /** Checks the fragment with the real binary: exit code 0 and no complaint about any option. */
  private async validate(text: string): Promise<void> {
    const why = await validateText(this.paths.config, withoutInclude(text), async (f) => {
      const r = await run(this.paths.mariadbd, [`--defaults-file=${f}`, '--help', '--verbose'], 30_000);
      const complaints = optionComplaints(r.output);
      return complaints ? { code: r.code || 1, output: complaints } : r.code === 0 ? r : { code: r.code, output: r.output.split('\n').slice(-3).join(' ') };
    });
    if (why) throw new ApplyError(`mariadbd refused the configuration: ${why}`);
  }

  private async filePlan(current: string, next: string): Promise<GaleraFilePlan> {
    return {
      path: this.paths.config, diff: unifiedDiff(current, next, this.paths.config), base: sha256(current), next: sha256(next),
      restart: current !== next && needsRestart(current, next),
    };
  }

  /** Renders, validates and diffs; changes nothing. */
  async plan(d: GaleraDesired): Promise<{ file: GaleraFilePlan; facts: GaleraNodeFacts }> {
    const next = this.render(d);
    await this.validate(next);
    const current = await readOrEmpty(this.paths.config);
    return { file: await this.filePlan(current, next), facts: await this.facts(false) };
  }

  /** Writes the planned fragment (with a backup) and the secrets; activates nothing. */
  async configure(d: GaleraDesired, secrets: GaleraSecrets | undefined, expect: { base: string; next: string }, progress: Progress): Promise<GaleraFilePlan> {
    const current = await readOrEmpty(this.paths.config);
    const next = this.render(d);
    if (sha256(current) !== expect.base) throw new ApplyError(`${this.paths.config} changed since the plan was made: plan again`);
    if (sha256(next) !== expect.next) throw new ApplyError('the desired state differs from the plan: plan again');
    await this.validate(next);
    if (secrets) await this.writeSecrets(secrets);
    const planned = await this.filePlan(current, next);
    if (current === next) {
      progress('configuration already as planned');
      return planned;
    }
    await replaceWithBackup(this.paths.config, current, next);
    await run('chmod', ['0644', this.paths.config]);
    progress(`wrote ${this.paths.config} (checked by mariadbd; the previous one kept as a backup)`);
    return planned;
  }

  private async writeSecrets(s: GaleraSecrets): Promise<void> {
    const secrets = renderSecrets(s);
    if ((await readOrEmpty(this.paths.secretsFile)) !== secrets) {
      await mkdir(join(this.paths.secretsFile, '..'), { recursive: true });
      await writeFileAtomic(this.paths.secretsFile, secrets, 0o640);
    }
    await chown(`root:${this.paths.user}`, this.paths.secretsFile);
    const monitor = renderMonitor(s, this.paths);
    if ((await readOrEmpty(this.paths.monitorFile)) !== monitor) await writeFileAtomic(this.paths.monitorFile, monitor, 0o600);
  }

  /** The data and run directories exist and belong to the mysql user. */
  private async prepareDirs(): Promise<void> {
    await mkdir(this.paths.datadir, { recursive: true, mode: 0o750 });
    await mkdir(this.paths.runDir, { recursive: true, mode: 0o755 });
    await mkdir(join(this.paths.logFile, '..'), { recursive: true });
    await chown(`${this.paths.user}:`, this.paths.datadir, this.paths.runDir);
    if (!existsSync(this.paths.logFile)) await writeFile(this.paths.logFile, '', { mode: 0o640 });
    await chown(`${this.paths.user}:`, this.paths.logFile);
  }

  private initialized(): boolean {
    return existsSync(join(this.paths.datadir, 'mysql'));
  }

  /**
   * Starts mariadbd and waits until it is Synced in a Primary component. Bootstrap makes a new
   * cluster (initializing an empty data directory first, and with `position` after a full crash);
   * join joins the running one (with `position` it keeps its history and catches up by IST).
   * With `rollback`, a start that fails puts the previous configuration back and starts with it.
   */
  async start(o: NonNullable<GaleraJob['start']>, secrets: GaleraSecrets | undefined, progress: Progress): Promise<{ joinedBy: 'IST' | 'SST' | 'none'; rolledBack?: boolean }> {
    if (runningPid(this.paths)) throw new ApplyError('mariadbd is already running on this node');
    await this.prepareDirs();
    if (o.mode === 'bootstrap' && !this.initialized()) {
      progress('initializing the data directory (mariadb-install-db)');
      const r = await run(this.paths.installDb, [`--defaults-file=${this.paths.defaultsFile}`, `--user=${this.paths.user}`, '--auth-root-authentication-method=socket', '--skip-test-db'], 120_000);
      if (r.code !== 0) throw new ApplyError(`mariadb-install-db failed: ${r.output.split('\n').slice(-3).join(' ')}`);
    }
    const args: string[] = [];
    if (o.mode === 'bootstrap') {
      args.push('--wsrep-new-cluster');
      const grastate = join(this.paths.datadir, 'grastate.dat');
      // After a full crash every grastate says safe_to_bootstrap 0; the chosen node is made safe (the standard procedure).
      if (existsSync(grastate)) await writeFile(grastate, markSafeToBootstrap(await readFile(grastate, 'utf8')));
    }
    if (o.position) args.push(`--wsrep_start_position=${o.position}`);
    if (o.sstMethod) args.push(`--wsrep_sst_method=${o.sstMethod}`);
    const timeout = o.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    try {
      const how = await this.startAndWait(args, timeout, progress);
      if (o.initUsers) {
        if (!secrets) throw new ApplyError('the bootstrap node needs the cluster\'s secrets to create its users');
        const r = await client(this.paths, usersSql(secrets), 'root');
        if (r.code !== 0) throw new ApplyError(`could not create the SST and monitor users: ${r.output.slice(0, 500)}`);
        progress('created the SST and monitor users');
      }
      return { joinedBy: how };
    } catch (e) {
      const why = e instanceof ApplyError ? e.message : (e as Error).message;
      if (!o.rollback) throw new ApplyError(why);
      const previous = await readOrEmpty(backupPath(this.paths.config));
      const current = await readOrEmpty(this.paths.config);
      if (!previous || previous === current) throw new ApplyError(`${why}; no previous configuration to roll back to`);
      if (runningPid(this.paths)) await stopMariadbd(runningPid(this.paths)!, STOP_TIMEOUT_MS, progress);
      await restore(this.paths.config, previous);
      progress('rolling back: the previous configuration is back, starting with it');
      const recovered = (await this.recover()).recovered;
      try {
        await this.startAndWait([...(recovered ? [`--wsrep_start_position=${recovered}`] : [])], timeout, progress);
      } catch (again) {
        throw new ApplyError(`${why}; the previous configuration was put back but the node did not come back with it either: ${(again as Error).message}`);
      }
      throw Object.assign(new ApplyError(`${why}; the previous configuration was put back and the node runs with it again`), { rolledBack: true });
    }
  }

  private async startAndWait(args: string[], timeoutMs: number, progress: Progress): Promise<'IST' | 'SST' | 'none'> {
    const offset = (await stat(this.paths.logFile).catch(() => ({ size: 0 }))).size;
    const logSince = async () => (await readOrEmpty(this.paths.logFile)).slice(offset);
    await unlink(statusFilePath(this.paths)).catch(() => {});
    const started = startMariadbd(this.paths, args, join(this.paths.runDir, 'mariadbd.out'));
    let exited: string | null = null;
    void started.exited.then((how) => { exited = how; });
    progress(`started mariadbd (pid ${started.pid})${args.length ? ` with ${args.join(' ')}` : ''}`);
    const end = Date.now() + timeoutMs;
    let said = '';
    for (;;) {
      await sleep(250);
      if (exited) {
        const log = await logSince();
        throw new ApplyError(`mariadbd stopped while starting (${exited}): ${whyItFailed(log) || 'see its error log'}`);
      }
      const st = await this.liveStatus(true);
      const log = await logSince();
      if (st?.state === 'Synced' && st.primary) {
        const how = joinedBy(log);
        progress(`Synced (Primary, ${st.clusterSize ?? '?'} nodes)${how === 'none' ? '' : ` after ${how}`}`);
        return how;
      }
      const transfer = transferOf(log);
      const line = `${st?.state ?? 'starting'}${transfer ? ` · ${transfer}` : ''}${st?.progressPct !== undefined ? ` ${st.progressPct} %` : ''}`;
      if (line !== said) {
        progress(line);
        said = line;
      }
      if (Date.now() > end) {
        if (started.pid) await stopMariadbd(started.pid, STOP_TIMEOUT_MS, progress).catch(() => {});
        throw new ApplyError(`not Synced within ${Math.round(timeoutMs / 1000)} s (last state: ${line}); it was stopped`);
      }
    }
  }

  async stop(progress: Progress): Promise<GaleraNodeFacts> {
    const pid = runningPid(this.paths);
    if (!pid) progress('mariadbd is not running');
    else {
      progress(`shutting down mariadbd (pid ${pid})`);
      await stopMariadbd(pid, STOP_TIMEOUT_MS, progress).catch((e: Error) => { throw new ApplyError(e.message); });
      progress('mariadbd stopped cleanly');
    }
    return this.facts(false);
  }

  /** What the node has: running, data, grastate.dat, live status; with `recover`, the recovered position of a stopped node. */
  async facts(recover: boolean): Promise<GaleraNodeFacts> {
    const running = runningPid(this.paths) !== null;
    const facts: GaleraNodeFacts = {
      running, initialized: this.initialized(),
      grastate: parseGrastate(await readOrEmpty(join(this.paths.datadir, 'grastate.dat'))),
    };
    if (running) {
      const st = await this.liveStatus(true);
      if (st) facts.status = st;
    } else if (recover && facts.initialized) Object.assign(facts, await this.recover());
    return facts;
  }

  /** `mariadbd --wsrep-recover`: the last committed position of a stopped node (~0.2 s, DAEMONS.md). */
  private async recover(): Promise<{ recovered?: string; recoverError?: string }> {
    const log = join(this.paths.runDir, 'wsrep-recover.log');
    await unlink(log).catch(() => {});
    const r = await run(this.paths.mariadbd, [`--defaults-file=${this.paths.defaultsFile}`, '--wsrep-recover', `--log-error=${log}`], 120_000);
    const text = await readOrEmpty(log);
    await unlink(log).catch(() => {});
    const position = parseRecoveredPosition(text) ?? parseRecoveredPosition(r.output);
    return position ? { recovered: position } : { recoverError: (whyItFailed(text + r.output) || `mariadbd --wsrep-recover exited with ${r.code} and printed no position`).slice(0, 500) };
  }

  /** Runs the op's statements; for a create, what existed before (the database, the user) is returned. */
  async sql(op: NonNullable<GaleraJob['sql']>): Promise<Pick<GaleraJobResult, 'existed'>> {
    if (!runningPid(this.paths)) throw new ApplyError('mariadbd is not running on this node');
    // A password never leaves in an error, whatever MariaDB echoes.
    const refused = (out: string) => {
      let text = out.split('\n').slice(-2).join(' ');
      if (op.password) text = text.replaceAll(op.password, '***').replaceAll(quoteString(op.password).slice(1, -1), '***');
      return new ApplyError(`MariaDB refused it: ${text.slice(0, 500)}`);
    };
    const ask = factsSql(op);
    let facts: SqlFacts | undefined;
    if (ask) {
      const r = await client(this.paths, ask, 'root', 60_000);
      if (r.code !== 0) throw refused(r.output);
      facts = parseFacts(r.output);
    }
    const r = await client(this.paths, opSql(op, facts), 'root', 60_000);
    if (r.code !== 0) throw refused(r.output);
    return op.op === 'create-database' && facts ? { existed: { database: facts.database, user: facts.user } } : {};
  }

  /** The cluster this node's fragment is for, or null when it is no Galera node of ours. */
  async clusterOf(): Promise<string | null> {
    const head = (await readOrEmpty(this.paths.config)).split('\n', 1)[0] ?? '';
    return head.startsWith(MANAGED_MARK) ? /\(cluster ([^)]+)\)/.exec(head)?.[1] ?? null : null;
  }

  /**
   * The live status: from SQL when mariadbd answers (as the monitor user once it exists, else
   * root), else from Galera's status file (a joiner in SST answers no SQL), else down.
   */
  async liveStatus(asRoot = false): Promise<GaleraNodeStatus | null> {
    if (!runningPid(this.paths)) {
      this.lastPaused = undefined;
      return { running: false, state: 'down' };
    }
    const useMonitor = !asRoot && existsSync(this.paths.monitorFile);
    let r = await client(this.paths, STATUS_QUERY, useMonitor ? 'monitor' : 'root', 5000);
    if (r.code !== 0 && useMonitor) r = await client(this.paths, STATUS_QUERY, 'root', 5000);
    if (r.code === 0) {
      const now = Date.now();
      const { status, pausedNs } = statusFromRows(parseStatusRows(r.output), this.lastPaused, now);
      this.lastPaused = { pausedNs, at: now };
      return status;
    }
    const file = statusFromFile(await readOrEmpty(statusFilePath(this.paths)));
    return file ?? { running: true, state: 'starting' };
  }
}
