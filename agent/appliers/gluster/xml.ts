/**
 * A small XML reader for the `gluster … --xml` output: elements, attributes, text and the five
 * entities (plus numeric ones). No DTDs, namespaces or CDATA: glusterd writes none. Malformed
 * input throws with the offset.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), entities decoded, trimmed. */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const texts: string[][] = [[]];
  let i = 0;
  const fail = (why: string): never => { throw new Error(`invalid XML at offset ${i}: ${why}`); };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      texts[texts.length - 1]!.push(text.slice(i));
      break;
    }
    if (lt > i) texts[texts.length - 1]!.push(text.slice(i, lt));
    i = lt;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('unterminated declaration');
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (text[i + 1] === '/') {
      const end = text.indexOf('>', i);
      if (end < 0) fail('unterminated end tag');
      const name = text.slice(i + 2, end).trim();
      const el = stack.pop();
      const own = texts.pop();
      if (!el || el === root || el.name !== name) fail(`</${name}> does not close <${el?.name ?? ''}>`);
      el!.text = decode(own!.join('')).trim();
      i = end + 1;
    } else {
      const end = text.indexOf('>', i);
      if (end < 0) fail('unterminated start tag');
      let body = text.slice(i + 1, end);
      const selfClosing = body.endsWith('/');
      if (selfClosing) body = body.slice(0, -1);
      const m = /^([A-Za-z_][\w.:-]*)/.exec(body);
      if (!m) fail('a tag without a name');
      const attrs: Record<string, string> = {};
      for (const a of body.slice(m![1]!.length).matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decode(a[3] ?? a[4] ?? '');
      const el: XmlElement = { name: m![1]!, attrs, children: [], text: '' };
      stack[stack.length - 1]!.children.push(el);
      if (!selfClosing) {
        stack.push(el);
        texts.push([]);
      }
      i = end + 1;
    }
  }
  if (stack.length !== 1) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  const top = root.children[0];
  if (!top || root.children.length !== 1) fail('expected exactly one root element');
  return top!;
}

/** The first child named `name`. */
export const child = (el: XmlElement | undefined, name: string): XmlElement | undefined => el?.children.find((c) => c.name === name);
/** Every child named `name`. */
export const childrenNamed = (el: XmlElement | undefined, name: string): XmlElement[] => el?.children.filter((c) => c.name === name) ?? [];
/** The text of the element at `path` (child names), or undefined. */
export function textAt(el: XmlElement | undefined, ...path: string[]): string | undefined {
  let at = el;
  for (const p of path) at = child(at, p);
  return at?.text;
}
