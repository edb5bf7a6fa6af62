/**
 * The store's check of the whole state document before every write, as validators.state checks
 * it, without checking again what was checked before: the state is immutable (a change makes new
 * records and keeps the others), so a record (a server, a connection, an audit entry …) or an
 * object (the layout) that passed once still passes. A write that changes one server of 10,000
 * checks that server and the document's shell, not 10,000 servers (bench:api).
 */
import type { ValidateFunction } from 'ajv';
import { stateSchema } from '../protocol/state.js';
import type { State } from '../protocol/types.js';
import { type Checked, check, compile } from '../protocol/validate.js';

type PropertySchema = { type?: string; items?: object };
const properties = stateSchema.properties as Record<string, PropertySchema>;
/** Fields checked on their own: arrays (item by item) and objects. */
const parts = Object.keys(properties).filter((k) => properties[k]!.type === 'array' || properties[k]!.type === 'object' || 'properties' in properties[k]! || 'additionalProperties' in properties[k]!);

interface Part {
  /** The field's own rules (for an array: all but its items'). */
  own: ValidateFunction;
  items?: ValidateFunction;
  /** Objects (items, or the field's value) that passed. */
  passed: WeakSet<object>;
}

/** Prefixes an error sentence with where in the document it is. */
const at = (path: string, error: string) => (error.startsWith('(body)') ? path + error.slice(6) : error.startsWith('/') ? path + error : `${path} ${error}`);

export class StateChecker {
  private shell?: ValidateFunction<State>;
  private parts = new Map<string, Part>();

  private part(key: string): Part {
    let p = this.parts.get(key);
    if (!p) {
      const schema = properties[key]!;
      p = schema.type === 'array' && schema.items
        ? { own: compile({ ...schema, items: true }), items: compile(schema.items), passed: new WeakSet() }
        : { own: compile(schema), passed: new WeakSet() };
      this.parts.set(key, p);
    }
    return p;
  }

  check(state: unknown): Checked<State> {
    this.shell ??= compile<State>({ ...stateSchema, properties: { ...properties, ...Object.fromEntries(parts.map((k) => [k, true])) } });
    const shell = check(this.shell, state);
    if (!shell.ok) return shell;
    const doc = state as Record<string, unknown>;
    for (const key of parts) {
      const value = doc[key];
      if (value === undefined) continue;
      const p = this.part(key);
      // An array or object that passed as a whole (kept by a change that replaced something else).
      if (typeof value === 'object' && value !== null && p.passed.has(value)) continue;
      if (p.items) {
        const own = check(p.own, value);
        if (!own.ok) return { ok: false, error: at(`/${key}`, own.error) };
        const items = value as unknown[];
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          if (typeof item === 'object' && item !== null && p.passed.has(item)) continue;
          const r = check(p.items, item);
          if (!r.ok) return { ok: false, error: at(`/${key}/${i}`, r.error) };
          if (typeof item === 'object' && item !== null) p.passed.add(item);
        }
        p.passed.add(items);
      } else {
        const r = check(p.own, value);
        if (!r.ok) return { ok: false, error: at(`/${key}`, r.error) };
        if (typeof value === 'object' && value !== null) p.passed.add(value);
      }
    }
    return shell;
  }
}
