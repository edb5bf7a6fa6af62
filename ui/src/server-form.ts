/** The add-server form's own checks: each mistake named next to its field before anything is sent. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export type Field = 'id' | 'name' | 'address' | 'region';

/** Field errors for a form, before anything is sent. */
export function serverFormErrors(f: Record<Field, string>, taken: (id: string) => boolean): Partial<Record<Field, string>> {
  const e: Partial<Record<Field, string>> = {};
  if (!f.id) e.id = 'Give the server an id.';
  else if (f.id.length > 63 || !ID.test(f.id)) e.id = 'Use letters, digits, ".", "_" or "-", starting with a letter or digit (at most 63).';
  else if (taken(f.id)) e.id = `A server with id "${f.id}" already exists.`;
  if (!f.name.trim()) e.name = 'Give the server a name.';
  if (!f.address.trim()) e.address = 'Give an IP address or host name.';
  else if (/\s/.test(f.address.trim())) e.address = 'An address has no spaces.';
  if (f.region.length > 64) e.region = 'At most 64 characters.';
  return e;
}

