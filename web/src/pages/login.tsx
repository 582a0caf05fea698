import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { useAction } from '../hooks';

export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  useEffect(() => {
    document.title = 'Sign in · Bonafides';
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await run(() => api.login(email.trim(), password));
    if (ok) onSignedIn();
  };
  return (
    <main class="center-page">
      <form class="card login" onSubmit={submit} noValidate>
        <h1>
          <span class="logo" aria-hidden="true">
            ✓
          </span>{' '}
          Sign in to Bonafides
        </h1>
        <ErrorMessage error={error} fields={['email', 'password']} />
        <Field label="Email" name="email" error={error}>
          {(p) => <input {...p} type="email" autoComplete="username" autoFocus required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field label="Password" name="password" error={error}>
          {(p) => (
            <input {...p} type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          )}
        </Field>
        <button class="primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
