import { describe, expect, it } from 'vitest';
import { describeHttpError, describeNetworkError, hubErrorBody, networkErrorCode, type RequestInfo } from './hub-errors.js';

const req: RequestInfo = { hubUrl: 'http://h:1', method: 'GET', path: '/api/servers/x', auth: { kind: 'basic', user: 'ops', password: 'p' } };
const body = (message: string, code = 'c') => ({ error: { code, message } });

/** What undici's fetch throws for a refused connection. */
function fetchFailed(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });
}

describe('network errors', () => {
  it('finds the system code inside fetch errors, also inside an AggregateError', () => {
    expect(networkErrorCode(fetchFailed('ECONNREFUSED'))).toBe('ECONNREFUSED');
    const aggregate = Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), {});
    expect(networkErrorCode(new TypeError('fetch failed', { cause: aggregate }))).toBe('ECONNREFUSED');
    expect(networkErrorCode(new Error('plain'))).toBeUndefined();
  });

  it('says the hub is down and how to start it', () => {
    expect(describeNetworkError('http://h:1', fetchFailed('ECONNREFUSED')))
      .toBe('cannot reach the hub at http://h:1: connection refused (is it running? start it with npm start)');
    expect(describeNetworkError('http://h:1', fetchFailed('ENOTFOUND'))).toMatch(/unknown host name \(check --hub/);
  });

  it('explains a timeout and a port fetch refuses', () => {
    expect(describeNetworkError('http://h:1', new DOMException('x', 'TimeoutError'))).toMatch(/did not answer in time/);
    expect(describeNetworkError('http://h:6000', new TypeError('fetch failed', { cause: new Error('bad port') }))).toMatch(/another port/);
  });
});

describe('HTTP errors', () => {
  it('reads the hub error body, and nothing else', () => {
    expect(hubErrorBody(body('no server'))).toEqual({ code: 'c', message: 'no server' });
    expect(hubErrorBody({ error: 'x' })).toBeUndefined();
    expect(hubErrorBody('<html>')).toBeUndefined();
  });

  it('passes the hub message through for a wrong name', () => {
    expect(describeHttpError(req, 404, body("no server with id 'x'", 'not_found'))).toBe("no server with id 'x'");
  });

  it('explains a 404 without a hub body as a wrong --hub', () => {
    expect(describeHttpError(req, 404, undefined)).toMatch(/has no GET \/api\/servers\/x \(is --hub the address/);
  });

  it('tells how to log in when no credentials were given', () => {
    expect(describeHttpError({ ...req, auth: { kind: 'none' } }, 401, body('log in'))).toMatch(/needs a login: pass --token TOKEN.*--user NAME/);
  });

  it('names the rejected credentials', () => {
    expect(describeHttpError(req, 401, body('wrong user name or password'))).toBe(
      "the hub did not accept user 'ops' (wrong user name or password): check the user name and the password");
    expect(describeHttpError({ ...req, auth: { kind: 'token', token: 't' } }, 401, undefined)).toMatch(/did not accept the API token: check --token/);
  });

  it('explains permissions, throttling and hub failures', () => {
    expect(describeHttpError(req, 403, body('you do not have the "edit servers" permission')))
      .toBe(`permission denied for user 'ops': you do not have the "edit servers" permission`);
    expect(describeHttpError(req, 429, body('slow down'))).toMatch(/wait a minute/);
    expect(describeHttpError(req, 500, body('disk full'))).toBe('the hub failed (HTTP 500): disk full; its log may say more');
    expect(describeHttpError(req, 409, body("a server with id 'x' already exists"))).toBe("a server with id 'x' already exists");
  });
});
