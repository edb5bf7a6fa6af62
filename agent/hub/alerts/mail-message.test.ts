import { describe, expect, it } from 'vitest';
import type { Server } from '../../protocol/types.js';
import type { AlertEvent } from './event.js';
import { alertMessage, encodeHeader, mailDate } from './mail-message.js';

const server: Server = { id: 'web1', name: 'Web 1', type: 'web', address: '10.0.0.1', region: '', labels: {}, ports: [] };
const event = (over: Partial<AlertEvent['alert']> = {}): AlertEvent => ({
  alert: {
    id: 'cpu-high:web1:1714564800000', ruleId: 'cpu-high', ruleName: 'CPU above 80 %', metric: 'cpu', serverId: 'web1',
    state: 'firing', value: 93.24, startedAt: '2024-05-01T12:00:00.000Z', ...over,
  },
  rule: { id: 'cpu-high', name: 'CPU above 80 %', metric: 'cpu', threshold: 80, forSeconds: 300, enabled: true, actions: [] },
  server,
});

describe('alertMessage', () => {
  const now = new Date('2024-05-01T12:00:01Z');

  it('is a plain RFC 5322 message: headers, a blank line, the body', () => {
    const msg = alertMessage(event(), 'ops@example.com', 'Hub <hub@example.com>', now);
    const blank = msg.indexOf('\n\n');
    const head = msg.slice(0, blank);
    const body = msg.slice(blank + 2);
    expect(head.split('\n')).toEqual([
      'From: Hub <hub@example.com>',
      'To: ops@example.com',
      'Subject: [Unlimited Cluster] FIRING: CPU above 80 % on Web 1',
      'Date: Wed, 01 May 2024 12:00:01 +0000',
      'Message-ID: <cpu-high.web1.1714564800000.firing@unlimited-cluster>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      'Auto-Submitted: auto-generated',
    ]);
    expect(body).toContain('CPU above 80 % is firing on Web 1 (web1, 10.0.0.1).');
    expect(body).toContain('Condition: CPU at or above 80 % for 300 s');
    expect(body).toContain('Value:     93.2 % when it fired');
    expect(body).not.toContain('Resolved:');
  });

  it('says when it resolved, and copes with a removed server', () => {
    const msg = alertMessage({ ...event({ state: 'resolved', resolvedAt: '2024-05-01T12:10:00.000Z' }), server: undefined }, 'root', 'x@y', now);
    expect(msg).toContain('Subject: [Unlimited Cluster] RESOLVED: CPU above 80 % on web1\n');
    expect(msg).toContain('has resolved on web1 (removed).');
    expect(msg).toContain('Resolved:  2024-05-01T12:10:00.000Z');
  });

  it('cannot be made to carry an extra header', () => {
    const msg = alertMessage({ ...event({ ruleName: 'x\r\nBcc: evil@example.com' }) }, 'a@b\nBcc: c@d', 'f@g', now);
    expect(msg.split('\n\n')[0]).not.toMatch(/^Bcc:/m);
  });
});

describe('encodeHeader', () => {
  it('leaves ASCII alone and encodes anything else as RFC 2047 words of at most 75 characters', () => {
    expect(encodeHeader('plain text')).toBe('plain text');
    const encoded = encodeHeader(`Überlast auf Webserver ${'ü'.repeat(40)}`);
    const words = encoded.split('\n ');
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) {
      expect(w).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(w.length).toBeLessThanOrEqual(75);
    }
    const decoded = words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString()).join('');
    expect(decoded).toBe(`Überlast auf Webserver ${'ü'.repeat(40)}`);
  });

  it('formats the date as RFC 5322 wants', () => {
    expect(mailDate(new Date('2024-01-02T03:04:05Z'))).toBe('Tue, 02 Jan 2024 03:04:05 +0000');
  });
});
