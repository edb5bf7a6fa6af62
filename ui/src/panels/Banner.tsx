/** Says, above everything, that the live view is not live, and when it tries again. */
import { useEffect, useState } from 'preact/hooks';
import type { LinkState } from '../live.js';

export function Banner({ link }: { link: LinkState }) {
  const [now, setNow] = useState(Date.now());
  const retryAt = link.kind === 'lost' ? link.retryAt : undefined;

  // Ticks only while a countdown is on screen.
  useEffect(() => {
    if (retryAt === undefined) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [retryAt]);

  if (link.kind === 'denied') {
    return <div class="uc-banner uc-banner-error" role="alert" data-testid="link-banner">{link.reason}</div>;
  }
  if (link.kind !== 'lost') return null;
  const secs = retryAt === undefined ? 0 : Math.ceil((retryAt - now) / 1000);
  return (
    <div class="uc-banner" role="alert" data-testid="link-banner">
      <strong>Not connected to the hub.</strong> {link.reason}{' '}
      {secs > 0 ? `Reconnecting in ${secs} s…` : 'Reconnecting…'} The values below may be out of date.
    </div>
  );
}
