// Application shell: header (language, large text, sign-in), navigation, routes, footer.
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { dictionaries, I18nContext, useI18n, type Lang } from './i18n';
import { isIdNumberAccount, isProviderAccount, signOut } from './lib/auth';
import { loadLang, loadLargeText, saveLang, saveLargeText } from './lib/prefs';
import { Link, navigate, useLocation, type Loc } from './lib/router';
import { SessionContext, useSession, useSessionState } from './lib/session';
import { Home } from './pages/Home';
import { ProcedurePage } from './pages/Procedure';
import { ServicePoints } from './pages/ServicePoints';
import { NotFound } from './pages/NotFound';
import { ErrorBox } from './components/ErrorBox';

type IdentityPages = typeof import('./pages/identity');
let identityPages: IdentityPages | null = null;

/** Renders one of the identity pages, loading their chunk on first use. */
function Identity({ render }: { render: (pages: IdentityPages) => JSX.Element }) {
  const { t } = useI18n();
  const [pages, setPages] = useState<IdentityPages | null>(identityPages);
  const [failed, setFailed] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (pages) return;
    let live = true;
    import('./pages/identity').then(
      (m) => {
        identityPages = m;
        if (live) setPages(m);
      },
      (e: unknown) => {
        if (live) setFailed(e);
      },
    );
    return () => {
      live = false;
    };
  }, [pages, attempt]);
  if (pages) return render(pages);
  if (failed)
    return (
      <ErrorBox
        error={failed}
        onRetry={() => {
          setFailed(null);
          setAttempt((n) => n + 1);
        }}
      />
    );
  return (
    <p class="result-count" role="status">
      {t.loading}
    </p>
  );
}

function route(loc: Loc) {
  const path = loc.path.replace(/\/+$/, '') || '/';
  if (path === '/') return <Home loc={loc} />;
  if (path === '/diem-phuc-vu') return <ServicePoints loc={loc} />;
  if (path === '/dang-nhap') return <Identity render={(p) => <p.SignIn loc={loc} />} />;
  if (path === '/dang-ky') return <Identity render={(p) => <p.Register />} />;
  if (path === '/tai-khoan') return <Identity render={(p) => <p.AccountPage />} />;
  if (path === '/doi-mat-khau') return <Identity render={(p) => <p.ForcedPasswordChange />} />;
  if (path === '/quan-tri/tai-khoan') return <Identity render={(p) => <p.AdminAccounts />} />;
  const m = /^\/thu-tuc\/([^/]+)$/.exec(path);
  if (m && m[1]) {
    let code = m[1];
    try {
      code = decodeURIComponent(code);
    } catch {
      /* keep raw */
    }
    return <ProcedurePage key={code} code={code} />;
  }
  return <NotFound />;
}

/** Header: "Sign in", or the signed-in login name (to the account page) and "Sign out". */
function AccountTools({ path }: { path: string }) {
  const { t } = useI18n();
  const s = useSession();
  const [busy, setBusy] = useState(false);
  if (s.session.status === 'loading') return null;
  if (s.session.status !== 'signed-in') {
    return (
      <Link href="/dang-nhap" class="tool" aria-current={path === '/dang-nhap' ? 'page' : undefined}>
        {t.signIn}
      </Link>
    );
  }
  const account = s.session.account;
  // Citizens' logins made from an ID number or a provider's subject are codes nobody types or
  // reads ("oidc.3f9a…"): show their name when known, else "My account".
  const name = account.display_name?.trim();
  const derived = isProviderAccount(account) || isIdNumberAccount(account);
  return (
    <>
      <Link href="/tai-khoan" class="tool tool-account" aria-current={path === '/tai-khoan' ? 'page' : undefined}>
        <svg class="tool-person" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
          <circle cx="10" cy="6.5" r="3.5" fill="currentColor" />
          <path d="M3 18c0-4 3.1-6.5 7-6.5s7 2.5 7 6.5z" fill="currentColor" />
        </svg>
        {derived && !name ? (
          <span class="tool-login">{t.myAccount}</span>
        ) : (
          <>
            <span class="visually-hidden">{t.accountOf} </span>
            <span class="tool-login">{derived && name ? name : account.login}</span>
          </>
        )}
      </Link>
      <button
        type="button"
        class="tool"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          // A 401 means the session had already ended: signed out either way.
          void signOut()
            .catch(() => undefined)
            .then(() => {
              setBusy(false);
              s.signedOut({ kind: 'signedOut' });
              navigate('/dang-nhap');
            });
        }}
      >
        {t.signOut}
      </button>
    </>
  );
}

export function App() {
  const loc = useLocation();
  const [lang, setLang] = useState<Lang>(loadLang);
  const [large, setLarge] = useState<boolean>(loadLargeText);
  const t = dictionaries[lang];
  const i18n = useMemo(() => ({ lang, t }), [lang, t]);

  useEffect(() => {
    document.documentElement.lang = t.htmlLang;
    saveLang(lang);
  }, [lang, t]);

  useEffect(() => {
    document.documentElement.classList.toggle('large-text', large);
    saveLargeText(large);
  }, [large]);

  // After a client-side page change, move focus to the main region so screen readers follow.
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(loc.path);
  useEffect(() => {
    if (loc.path !== firstPath.current) {
      firstPath.current = '';
      main.current?.focus({ preventScroll: true });
    }
  }, [loc.path]);

  const sessionApi = useSessionState(loc.path);
  const session = sessionApi.session;
  const isAdmin =
    session.status === 'signed-in' && session.account.role === 'administrator' && !session.account.must_change_password;

  const section = loc.path.startsWith('/diem-phuc-vu')
    ? 'sp'
    : loc.path.startsWith('/quan-tri/')
      ? 'admin'
      : loc.path === '/' || loc.path.startsWith('/thu-tuc/')
        ? 'search'
        : '';

  return (
    <I18nContext.Provider value={i18n}>
    <SessionContext.Provider value={sessionApi}>
      <a class="skip-link" href="#main">
        {t.skipLink}
      </a>
      <header class="site-header">
        <div class="wrap header-row">
          <Link href="/" class="brand">
            <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <rect width="32" height="32" rx="6" fill="currentColor" />
              <path d="M8 24V10l8-4 8 4v14h-5v-7h-6v7z" fill="#0b4a8b" />
            </svg>
            <span class="brand-text">
              <span class="brand-name">{t.siteName}</span>
              <span class="brand-tagline">{t.siteTagline}</span>
            </span>
          </Link>
          <div class="header-tools">
            <button
              type="button"
              class="tool"
              aria-pressed={large}
              onClick={() => setLarge((v) => !v)}
            >
              <span aria-hidden="true" class="tool-icon">
                A+
              </span>{' '}
              {t.largeText}
            </button>
            <button
              type="button"
              class="tool"
              lang={lang === 'vi' ? 'en' : 'vi'}
              aria-label={t.switchLangLabel}
              onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
            >
              {t.switchLang}
            </button>
            <AccountTools path={loc.path.replace(/\/+$/, '')} />
          </div>
        </div>
        <nav class="site-nav" aria-label={t.navLabel}>
          <ul class="wrap">
            <li>
              <Link href="/" aria-current={section === 'search' ? 'page' : undefined}>
                {t.navSearch}
              </Link>
            </li>
            <li>
              <Link href="/diem-phuc-vu" aria-current={section === 'sp' ? 'page' : undefined}>
                {t.navServicePoints}
              </Link>
            </li>
            {isAdmin && (
              <li>
                <Link href="/quan-tri/tai-khoan" aria-current={section === 'admin' ? 'page' : undefined}>
                  {t.navAccounts}
                </Link>
              </li>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" class="wrap" tabIndex={-1} ref={main}>
        {route(loc)}
      </main>
      <footer class="site-footer">
        <div class="wrap">
          <p>{t.footerText}</p>
          <p>{t.footerHotline}</p>
        </div>
      </footer>
    </SessionContext.Provider>
    </I18nContext.Provider>
  );
}
