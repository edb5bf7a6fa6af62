/** The dark bar on top: product, link state, who is signed in, and the way out. */
import type { LinkState } from '../live.js';
import { Logo } from './Logo.js';

const LINK_TEXT: Record<LinkState['kind'], string> = {
  connecting: 'Connecting', live: 'Live', lost: 'Offline', denied: 'No access',
};

/** Without `onLogout` (inside Webmin, which owns the session) there is no way out here. */
export function Header({ user, link, onLogout }: { user: string; link: LinkState['kind']; onLogout?: () => void }) {
  return (
    <header class="uc-header">
      <div class="uc-brand"><Logo /><span>Unlimited Cluster</span></div>
      <div class="uc-header-right">
        <span class={`uc-link uc-link-${link}`} data-testid="link-state"><i aria-hidden="true" />{LINK_TEXT[link]}</span>
        <span class="uc-user" data-testid="user-name" title="Signed in as">{user}</span>
        {onLogout && <button type="button" class="uc-ghost" onClick={onLogout} data-testid="logout">Log out</button>}
      </div>
    </header>
  );
}
