// What a page that needs a session shows while the session is checked, to someone not signed in,
// and to someone whose role may not see it.
import { useEffect } from 'preact/hooks';
import { useI18n } from '../i18n';
import { signIn } from '../lib/auth';
import { Link, navigate } from '../lib/router';
import { useSession, type SessionApi } from '../lib/session';

export function Checking({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <>
      <h1>{title}</h1>
      <p class="result-count" role="status">
        {t.loading}
      </p>
    </>
  );
}

/** The sign-in page, coming back here afterwards. */
export function signInHref(): string {
  const here = location.pathname + location.search;
  return `/dang-nhap?tiep=${encodeURIComponent(here)}`;
}

export function NeedsSignIn({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <section class="notfound">
      <h1>{title}</h1>
      <p>{t.needSignIn}</p>
      <p>
        <Link class="btn btn-primary" href={signInHref()}>
          {t.signIn}
        </Link>
      </p>
    </section>
  );
}

export function NotAllowed({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <section>
      <h1>{title}</h1>
      <div class="error" role="alert">
        <p class="error-title">{t.notAllowedTitle}</p>
        <p>{t.notAllowedText}</p>
      </div>
      <p>
        <Link class="btn" href="/tai-khoan">
          {t.goToAccount}
        </Link>
      </p>
    </section>
  );
}

/** Until the initial password is changed the server refuses everything else: go to that form. */
export function useForcedPasswordChange(): boolean {
  const { session } = useSession();
  const forced = session.status === 'signed-in' && session.account.must_change_password;
  useEffect(() => {
    if (forced) navigate('/doi-mat-khau', { replace: true });
  }, [forced]);
  return forced;
}

/** The session ended under us (401): back to sign-in, returning here afterwards. */
export function sessionEnded(s: SessionApi): void {
  const href = signInHref();
  s.signedOut({ kind: 'sessionEnded' });
  navigate(href, { replace: true });
}

/**
 * A password change ends every session. Sign in again with the new password so the person can go
 * on; if that needs more (a second-factor code), send them to the sign-in page instead.
 * Resolves to true when signed in again.
 */
export async function signInAgain(s: SessionApi, login: string, password: string): Promise<boolean> {
  try {
    s.signedIn(await signIn({ login, password }));
    return true;
  } catch {
    s.signedOut({ kind: 'passwordChangedSignIn', login });
    navigate('/dang-nhap', { replace: true });
    return false;
  }
}
