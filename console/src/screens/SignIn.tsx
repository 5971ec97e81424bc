/** Sign in: demo users (local cloud) or the issuer's sign-in page (OIDC). */
import { useEffect, useMemo, useState } from 'react';
import type { AuthModule, DemoUser, Session } from '../auth';
import type { RuntimeConfig } from '../config';
import { useI18n } from '../i18n/react';
import { ErrorBanner, Loading } from '../components/ui';

interface Props {
  config: RuntimeConfig;
  auth: AuthModule;
  onSignedIn: (session: Session) => void;
  error?: unknown;
  expired?: boolean;
}

export function SignIn({ auth, onSignedIn, error, expired }: Props) {
  const { t, lang, setLang } = useI18n();
  return (
    <main className="signin">
      <div className="signin-card">
        <div className="signin-head">
          <h1>{t('signin.title')}</h1>
          <button type="button" className="link" onClick={() => setLang(lang === 'en' ? 'zh-TW' : 'en')} aria-label={t('header.switchLanguageLabel')} data-testid="language-switch">
            {t('header.switchLanguage')}
          </button>
        </div>
        {expired && <p className="banner warn">{t('signin.expired')}</p>}
        {error !== undefined && <ErrorBanner error={error} />}
        {auth.mode === 'local' ? <LocalSignIn auth={auth} onSignedIn={onSignedIn} /> : <OidcSignIn auth={auth} />}
      </div>
    </main>
  );
}

function LocalSignIn({ auth, onSignedIn }: { auth: Extract<AuthModule, { mode: 'local' }>; onSignedIn: (s: Session) => void }) {
  const { t } = useI18n();
  const [users, setUsers] = useState<DemoUser[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string | undefined>();
  const [filter, setFilter] = useState('');
  useEffect(() => {
    auth.users().then(setUsers, setError);
  }, [auth]);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (users ?? []).filter((u) => !f || `${u.username} ${u.name} ${u.role} ${u.department ?? ''}`.toLowerCase().includes(f));
  }, [users, filter]);

  const signIn = async (username: string) => {
    setBusy(username);
    setError(undefined);
    try {
      onSignedIn(await auth.signIn(username));
    } catch (e) {
      setError(e);
      setBusy(undefined);
    }
  };

  return (
    <>
      <p>{t('signin.localIntro')}</p>
      <ErrorBanner error={error} />
      {!users && !error && <Loading />}
      {users && (
        <>
          <input
            type="search"
            className="user-filter"
            placeholder={t('signin.filter')}
            aria-label={t('signin.filter')}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && shown[0]) void signIn(shown[0].username);
            }}
            autoFocus
          />
          <ul className="demo-users">
            {shown.map((u) => (
              <li key={u.username}>
                <button type="button" onClick={() => void signIn(u.username)} disabled={busy !== undefined} data-username={u.username} aria-label={t('signin.pickUser', { name: u.name })}>
                  <span className="demo-name">{u.name}</span>
                  <span className="demo-meta">
                    {u.username} · {t(`role.${u.role}`)}
                    {u.department ? ` · ${u.department}` : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function OidcSignIn({ auth }: { auth: Extract<AuthModule, { mode: 'oidc' }> }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <p>{t('signin.oidcIntro')}</p>
      <ErrorBanner error={error} />
      <button
        type="button"
        className="primary"
        disabled={busy}
        autoFocus
        onClick={() => {
          setBusy(true);
          auth.beginSignIn().catch((e: unknown) => {
            setError(e);
            setBusy(false);
          });
        }}
      >
        {busy ? t('signin.completing') : t('signin.oidcButton')}
      </button>
    </>
  );
}
