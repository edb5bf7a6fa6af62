/**
 * A strict parser of the text exposition format, for tests: it rejects what Prometheus would
 * reject or mis-read (bad names, unknown escapes, a family split in two, HELP/TYPE after samples
 * or twice, a duplicate series, a value Go cannot parse, a missing final newline) and returns the
 * families with unescaped label values, so tests can assert concrete values.
 */

export interface ParsedSample {
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  help?: string;
  type?: string;
  samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** What Go's strconv.ParseFloat accepts, in the forms an exposition uses. */
const FLOAT = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|NaN|[+-]Inf)$/;

function parseValue(text: string, line: number): number {
  if (!FLOAT.test(text)) throw new Error(`line ${line}: '${text}' is not a float`);
  if (text === 'NaN') return NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Reads `{a="x",b="y"}` from the start of `rest`; returns the labels and what follows. */
function parseLabels(rest: string, line: number): [Record<string, string>, string] {
  const out: Record<string, string> = {};
  let i = 1;
  const fail = (why: string) => new Error(`line ${line}: ${why}`);
  while (rest[i] !== '}') {
    const name = LABEL_NAME.exec(rest.slice(i))?.[0];
    if (!name) throw fail(`bad label name at '${rest.slice(i)}'`);
    if (name in out) throw fail(`label ${name} given twice`);
    i += name.length;
    if (rest.slice(i, i + 2) !== '="') throw fail(`expected =" after ${name}`);
    i += 2;
    let value = '';
    for (;;) {
      const c = rest[i++];
      if (c === undefined || c === '\n') throw fail('unterminated label value');
      if (c === '"') break;
      if (c !== '\\') {
        value += c;
        continue;
      }
      const e = rest[i++];
      if (e === '\\' || e === '"') value += e;
      else if (e === 'n') value += '\n';
      else throw fail(`unknown escape \\${e ?? ''}`);
    }
    out[name] = value;
    if (rest[i] === ',') i++;
    else if (rest[i] !== '}') throw fail(`expected , or } after label ${name}`);
  }
  return [out, rest.slice(i + 1)];
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (text && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, ParsedFamily>();
  const series = new Set<string>();
  let current = '';
  const enter = (name: string, line: number): ParsedFamily => {
    let f = families.get(name);
    if (name !== current) {
      if (f) throw new Error(`line ${line}: family ${name} is split (it appeared before ${current})`);
      families.set(name, (f = { samples: [] }));
      current = name;
    }
    return f!;
  };
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((raw, idx) => {
    const n = idx + 1;
    if (raw.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (!m) return; // a plain comment
      const [, kind, name = '', rest = ''] = m;
      if (!METRIC_NAME.test(name) || METRIC_NAME.exec(name)![0] !== name) throw new Error(`line ${n}: bad metric name '${name}'`);
      const f = enter(name, n);
      if (f.samples.length) throw new Error(`line ${n}: ${kind} for ${name} after its samples`);
      if (kind === 'HELP') {
        if (f.help !== undefined) throw new Error(`line ${n}: second HELP for ${name}`);
        f.help = unescapeHelp(rest);
      } else {
        if (f.type !== undefined) throw new Error(`line ${n}: second TYPE for ${name}`);
        if (!TYPES.has(rest)) throw new Error(`line ${n}: unknown type '${rest}'`);
        f.type = rest;
      }
      return;
    }
    const name = METRIC_NAME.exec(raw)?.[0];
    if (!name) throw new Error(`line ${n}: bad sample line '${raw}'`);
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) [labels, rest] = parseLabels(rest, n);
    const m = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
    if (!m) throw new Error(`line ${n}: expected ' value [timestamp]' in '${raw}'`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(key)) throw new Error(`line ${n}: duplicate series ${key}`);
    series.add(key);
    enter(name, n).samples.push({ labels, value: parseValue(m[1]!, n) });
  });
  return families;
}

/** The one sample of `name` whose labels include `match`; throws unless exactly one matches. */
export function sampleOf(families: Map<string, ParsedFamily>, name: string, match: Record<string, string> = {}): number {
  const hits = (families.get(name)?.samples ?? []).filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v));
  if (hits.length !== 1) throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(match)}`);
  return hits[0]!.value;
}
