/** The e-mail action's transport: the local sendmail, given the message on stdin. */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';

export interface MailSettings {
  /** The sendmail program (SENDMAIL; default /usr/sbin/sendmail), run as `sendmail -t -i`. */
  sendmail: string;
  /** The From address (ALERT_MAIL_FROM; default unlimited-cluster@HOSTNAME). */
  from: string;
  /** A sendmail that has not exited by then is killed and the mail counts as failed. */
  timeoutMs: number;
}

export const DEFAULT_SENDMAIL = '/usr/sbin/sendmail';

export function mailSettingsFromEnv(env: NodeJS.ProcessEnv): MailSettings {
  return {
    sendmail: env['SENDMAIL'] || DEFAULT_SENDMAIL,
    from: env['ALERT_MAIL_FROM'] || `Unlimited Cluster <unlimited-cluster@${hostname()}>`,
    timeoutMs: 10_000,
  };
}

/**
 * Runs `program -t -i` (-t: recipients from the headers, -i: a line with a single dot does not end
 * the message) with `message` on stdin; resolves when it exits 0, rejects with its stderr otherwise.
 */
export function sendmail(program: string, message: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (e?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) reject(e);
      else resolve();
    };
    const child = spawn(program, ['-t', '-i'], { stdio: ['pipe', 'ignore', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new Error(`${program} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString();
    });
    child.on('error', (e) => finish(new Error(`cannot run ${program}: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) finish();
      else finish(new Error(`${program} exited with ${code ?? signal}${stderr.trim() ? `: ${stderr.trim().slice(0, 500)}` : ''}`));
    });
    // It may exit before reading everything; 'close' then says why.
    child.stdin.on('error', () => {});
    child.stdin.end(message);
  });
}
