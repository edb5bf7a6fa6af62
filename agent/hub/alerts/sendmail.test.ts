/** The real spawn of a sendmail stand-in: a script that saves its arguments and stdin. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailSettingsFromEnv, sendmail } from './sendmail.js';

let dir: string;
const script = (name: string, body: string) => {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
};

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'uc-sendmail-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sendmail', () => {
  it('runs PROGRAM -t -i with the message on stdin', async () => {
    const fake = script('ok.sh', `printf '%s\\n' "$@" > "${dir}/args"; cat > "${dir}/stdin"`);
    await sendmail(fake, 'To: a@b\nSubject: s\n\nbody\n.\nmore\n', 5000);
    expect(readFileSync(join(dir, 'args'), 'utf8')).toBe('-t\n-i\n');
    expect(readFileSync(join(dir, 'stdin'), 'utf8')).toBe('To: a@b\nSubject: s\n\nbody\n.\nmore\n');
  });

  it('fails with what the program said when it exits non-zero', async () => {
    const fake = script('fail.sh', 'cat >/dev/null; echo "no route to host" >&2; exit 75');
    await expect(sendmail(fake, 'x', 5000)).rejects.toThrow(/exited with 75: no route to host/);
  });

  it('kills a program that hangs, and fails when there is no program', async () => {
    const fake = script('hang.sh', 'exec sleep 30');
    const started = Date.now();
    await expect(sendmail(fake, 'x', 300)).rejects.toThrow(/did not finish within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(sendmail(join(dir, 'missing'), 'x', 1000)).rejects.toThrow(/cannot run .*missing/);
  });

  it('takes the program from SENDMAIL, /usr/sbin/sendmail by default', () => {
    expect(mailSettingsFromEnv({}).sendmail).toBe('/usr/sbin/sendmail');
    expect(mailSettingsFromEnv({ SENDMAIL: '/opt/bin/sm', ALERT_MAIL_FROM: 'a@b' })).toMatchObject({ sendmail: '/opt/bin/sm', from: 'a@b' });
  });
});
