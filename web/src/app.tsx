// Application shell: header (language, large text), navigation, routes, footer.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { dictionaries, I18nContext, type Lang } from './i18n';
import { loadLang, loadLargeText, saveLang, saveLargeText } from './lib/prefs';
import { Link, useLocation, type Loc } from './lib/router';
import { Home } from './pages/Home';
import { ProcedurePage } from './pages/Procedure';
import { ServicePoints } from './pages/ServicePoints';
import { NotFound } from './pages/NotFound';

function route(loc: Loc) {
  const path = loc.path.replace(/\/+$/, '') || '/';
  if (path === '/') return <Home loc={loc} />;
  if (path === '/diem-phuc-vu') return <ServicePoints loc={loc} />;
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

  const section = loc.path.startsWith('/diem-phuc-vu') ? 'sp' : 'search';

  return (
    <I18nContext.Provider value={i18n}>
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
    </I18nContext.Provider>
  );
}
