/** TCP sockets in use from /proc/net/sockstat ("TCP: inuse N …") and sockstat6 ("TCP6: inuse N"). */
export function parseTcpInUse(sockstat: string, sockstat6 = ''): number {
  return inuse(/^TCP: inuse (\d+)/m, sockstat) + inuse(/^TCP6: inuse (\d+)/m, sockstat6);
}

function inuse(re: RegExp, text: string): number {
  const m = re.exec(text);
  return m?.[1] ? Number(m[1]) : 0;
}
