import { useState, type FormEvent } from 'react';
import type { SessionResponse } from '@fluoro/contracts';
import { signIn } from '../api/fluoro';

/** The sign-in form, shown instead of a page when Fluoro asks who is calling. */
export function SignIn({ oidc, onSignedIn }: { oidc: string | null; onSignedIn(session: SessionResponse): void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  // A single sign-on that came back refused says why in the address.
  const [problem, setProblem] = useState<string | null>(() => new URLSearchParams(location.search).get('sign-in-error'));
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      onSignedIn(await signIn({ user, password }));
    } catch (err) {
      setProblem((err as Error).message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page sign-in">
      <form className="panel sign-in-form" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Fluoro</h1>
        <p className="muted">This Fluoro asks who you are. Your operator lists users in the keys file (docs/security.md).</p>
        {oidc && (
          <a className="button primary" href="/api/v1/session/oidc" data-testid="sign-in-oidc">
            Sign in with {oidc}
          </a>
        )}
        <div className="form-field">
          <label htmlFor="sign-in-user">User</label>
          <input id="sign-in-user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} required autoFocus />
        </div>
        <div className="form-field">
          <label htmlFor="sign-in-password">Password</label>
          <input
            id="sign-in-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
