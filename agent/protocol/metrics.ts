/** One 1 Hz sample from an agent, as the hub stores and forwards it. Sizes in bytes, rates per second. */
export const metricsSampleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['ts', 'cpu', 'mem', 'disks', 'diskIO', 'net', 'load', 'uptime', 'tcp'],
  properties: {
    /** Sampling time, ms since the epoch, by the agent's clock. */
    ts: { type: 'number', minimum: 0 },
    /** Busy CPU over the last interval, percent of all cores (0–100). */
    cpu: { type: 'number', minimum: 0, maximum: 100 },
    mem: {
      type: 'object', additionalProperties: false, required: ['total', 'used', 'swapTotal', 'swapUsed'],
      properties: {
        total: { type: 'number', minimum: 0 },
        used: { type: 'number', minimum: 0 },
        swapTotal: { type: 'number', minimum: 0 },
        swapUsed: { type: 'number', minimum: 0 },
      },
    },
    disks: {
      type: 'array', maxItems: 64,
      items: {
        type: 'object', additionalProperties: false, required: ['mount', 'total', 'used'],
        properties: {
          mount: { type: 'string', maxLength: 256 },
          total: { type: 'number', minimum: 0 },
          used: { type: 'number', minimum: 0 },
        },
      },
    },
    diskIO: {
      type: 'object', additionalProperties: false, required: ['readBps', 'writeBps'],
      properties: { readBps: { type: 'number', minimum: 0 }, writeBps: { type: 'number', minimum: 0 } },
    },
    net: {
      type: 'object', additionalProperties: false, required: ['rxBps', 'txBps'],
      properties: { rxBps: { type: 'number', minimum: 0 }, txBps: { type: 'number', minimum: 0 } },
    },
    /** 1, 5 and 15 minute load averages. */
    load: { type: 'array', minItems: 3, maxItems: 3, items: { type: 'number', minimum: 0 } },
    /** Seconds since boot. */
    uptime: { type: 'number', minimum: 0 },
    /** TCP sockets in use (IPv4 + IPv6). */
    tcp: { type: 'integer', minimum: 0 },
  },
} as const;
