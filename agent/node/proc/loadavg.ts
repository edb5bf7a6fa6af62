/** Load averages from /proc/loadavg ("0.52 0.41 0.30 1/123 4567"). */
export function parseLoadavg(text: string): [number, number, number] {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  return [clean(a), clean(b), clean(c)];
}

function clean(n: number | undefined): number {
  return n !== undefined && n >= 0 ? n : 0;
}
