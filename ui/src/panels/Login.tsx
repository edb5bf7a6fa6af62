/** The standalone login page: user name and password → POST /api/login → session cookie. */
import { useState } from 'preact/hooks';
import { ApiFailure, type Me, login } from '../api.js';
import { Logo } from './Logo.js';

/** What to tell a person whose login failed, and what to do about it. */
export function loginError(e: unknown): string {
  if (!(e instanceof ApiFailure)) return String(e);
  switch (e.status) {
    case 401: return 'Wrong user name or password.';
    case 429: return `Too many failed attempts. Try again in ${e.retryAfter ? `${e.retryAfter} seconds` : 'a minute'}.`;
    default: return e.message;
  }
}

export function Login({ base, notice, onLogin }: { base: string; notice?: string | undefined; onLogin(me: Me): void }) {
  const [error, setError] = useState(notice);
  const [busy, setBusy] = useState(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await login(base, String(form.get('username')), String(form.get('password'))));
    } catch (err) {
      setError(loginError(err));
      setBusy(false);
    }
  };

  return (
    <main class="uc-login">
      <form class="uc-login-card" onSubmit={submit} data-testid="login-form" aria-describedby={error ? 'uc-login-error' : undefined}>
        <div class="uc-login-brand"><Logo size={36} /><h1>Unlimited Cluster</h1></div>
        <p class="uc-muted">Sign in to see and run your fleet.</p>
        <label for="uc-username">User name</label>
        <input id="uc-username" name="username" autocomplete="username" required autofocus data-testid="login-username" />
        <label for="uc-password">Password</label>
        <input id="uc-password" name="password" type="password" autocomplete="current-password" required data-testid="login-password" />
        {error && <p id="uc-login-error" class="uc-error" role="alert" data-testid="login-error">{error}</p>}
        <button type="submit" class="uc-primary" disabled={busy} data-testid="login-submit">{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
