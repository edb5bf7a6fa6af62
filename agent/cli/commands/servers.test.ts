import { describe, expect, it } from 'vitest';
import { parseArgs, type Invocation } from '../args.js';
import { UsageError } from '../errors.js';
import { TABLE } from './index.js';
import { parseLabels, parsePorts, serverCreateBody } from './servers.js';

function inv(...argv: string[]): Invocation {
  const parsed = parseArgs(['servers', 'add', ...argv], TABLE);
  if (parsed.kind !== 'run') throw new Error('expected a command');
  return parsed;
}

describe('servers add', () => {
  it('builds the POST body, with the id as the default name', async () => {
    expect(await serverCreateBody(inv('web1', '--type', 'web', '--address', '10.0.0.1'))).toEqual({ id: 'web1', name: 'web1', type: 'web', address: '10.0.0.1' });
    expect(await serverCreateBody(inv('db1', '-t', 'database', '-a', 'db.example.com', '-n', 'DB 1', '-r', 'eu', '-l', 'role=primary', '-l', 'x=a=b', '-p', '3306,4567', '-p', '22')))
      .toEqual({ id: 'db1', name: 'DB 1', type: 'database', address: 'db.example.com', region: 'eu', labels: { role: 'primary', x: 'a=b' }, ports: [3306, 4567, 22] });
  });

  it('refuses bad values before anything is sent, naming the option', async () => {
    await expect(serverCreateBody(inv('web1', '--type', 'webb', '--address', '10.0.0.1'))).rejects.toThrow(/^--type must be one of: web, database/);
    await expect(serverCreateBody(inv('web1', '--type', 'web', '--address', 'not an address'))).rejects.toThrow(/^--address must be an IP address or host name/);
    await expect(serverCreateBody(inv('web 1', '--type', 'web', '--address', '10.0.0.1'))).rejects.toThrow(/^server id 'web 1' has characters that are not allowed/);
    await expect(serverCreateBody(inv('web1', '--type', 'web', '--address', '10.0.0.1', '--port', '70000'))).rejects.toThrow(UsageError);
  });

  it('parses labels and ports strictly', () => {
    expect(parseLabels(['a=', 'b=c'], [])).toEqual({ a: '', b: 'c' });
    expect(() => parseLabels(['novalue'], [])).toThrow("--label 'novalue' is not KEY=VALUE");
    expect(() => parseLabels(['=v'], [])).toThrow(/KEY=VALUE/);
    expect(parsePorts(['80, 443'], [])).toEqual([80, 443]);
    expect(() => parsePorts(['http'], [])).toThrow("--port 'http' is not a port number");
  });
});
