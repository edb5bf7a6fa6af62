/**
 * Where a connection drawn on the diagram was let go: pick its type (one click) or Escape to drop
 * it. Focus lands on the first type, so the keyboard works at once.
 */
import { useEffect, useRef } from 'preact/hooks';
import { CONNECTION_TYPES } from '../../../agent/protocol/common.js';
import type { ConnectionType } from '../../../agent/protocol/types.js';
import { CONNECTION_RGB, hex } from '../canvas/colors.js';
import type { Pt } from '../canvas/geometry.js';

export function ConnectPopover({ from, to, at, onPick, onCancel }: { from: string; to: string; at: Pt; onPick(t: ConnectionType): void; onCancel(): void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    first.current?.focus();
    const esc = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } };
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [from, to]);
  return (
    <div class="uc-popover" role="dialog" aria-label={`Connect ${from} to ${to}`} data-testid="connect-popover" style={{ left: `${at.x}px`, top: `${at.y}px` }}
      onClick={(e) => e.stopPropagation()}>
      <p><b>{from}</b> → <b>{to}</b></p>
      <div class="uc-popover-types">
        {CONNECTION_TYPES.map((t, i) => (
          <button type="button" class="uc-secondary" ref={i === 0 ? first : undefined} data-type={t} onClick={() => onPick(t)}>
            <i class="uc-swatch" style={{ background: hex(CONNECTION_RGB[t]) }} />{t}
          </button>
        ))}
      </div>
      <p class="uc-note">Esc cancels</p>
    </div>
  );
}
