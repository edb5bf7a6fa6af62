/** Decides between the login page and the app: GET /api/me answers 401 when not signed in. */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, type Endpoints, type Me, getMe, logout } from './api.js';
import { Dashboard } from './Dashboard.js';
import { Login, loginError } from './panels/Login.js';

type Phase =
  | { kind: 'checking' }
  | { kind: 'login'; notice?: string }
  | { kind: 'app'; me: Me };

export function App({ endpoints }: { endpoints: Endpoints }) {
  const { base, embedded } = endpoints;
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });

  useEffect(() => {
    let live = true;
    getMe(base).then(
      (me) => live && setPhase({ kind: 'app', me }),
      (e: unknown) => live && setPhase(e instanceof ApiFailure && e.status === 401 ? { kind: 'login' } : { kind: 'login', notice: loginError(e) }),
    );
    return () => { live = false; };
  }, [base]);

  switch (phase.kind) {
    case 'checking': return <p class="uc-loading">Loading…</p>;
    case 'login': return <Login base={base} notice={phase.notice} onLogin={(me) => setPhase({ kind: 'app', me })} />;
    case 'app': return (
      <Dashboard
        endpoints={endpoints}
        me={phase.me}
        // The session ends on the hub even if the answer is lost; the login page shows either way.
        onLogout={embedded ? undefined : () => { logout(base).catch(() => {}).finally(() => setPhase({ kind: 'login' })); }}
        onLoggedOut={() => setPhase({ kind: 'login', notice: 'Your session has ended. Sign in again.' })}
      />
    );
  }
}
