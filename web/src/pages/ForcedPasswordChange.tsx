// /doi-mat-khau: an account signed in with its initial password must choose its own first; the
// server refuses everything else until then.
import { useEffect } from 'preact/hooks';
import { signOut } from '../lib/auth';
import { useI18n } from '../i18n';
import { navigate } from '../lib/router';
import { setFlash, useSession } from '../lib/session';
import { useTitle } from '../lib/title';
import { Checking, NeedsSignIn, sessionEnded, signInAgain } from '../components/Guard';
import { PasswordForm } from '../components/PasswordForm';

export function ForcedPasswordChange() {
  const { t } = useI18n();
  const s = useSession();
  useTitle(t.forcedTitle);
  const { session } = s;
  const notForced = session.status === 'signed-in' && !session.account.must_change_password;

  // Nothing to force (already changed, or reached by a bookmark): the account page has the form.
  useEffect(() => {
    if (notForced) navigate('/tai-khoan', { replace: true });
  }, [notForced]);

  if (session.status === 'loading' || session.status === 'unknown' || notForced) return <Checking title={t.forcedTitle} />;
  if (session.status === 'anonymous') return <NeedsSignIn title={t.forcedTitle} />;
  const login = session.account.login;

  return (
    <section class="narrow">
      <h1>{t.forcedTitle}</h1>
      <p class="intro">{t.forcedIntro}</p>
      <div class="panel">
        <PasswordForm
          idPrefix="forced"
          initial
          onChanged={(pw) => {
            void signInAgain(s, login, pw).then((ok) => {
              if (ok) {
                setFlash({ kind: 'passwordChanged' });
                navigate('/tai-khoan', { replace: true });
              }
            });
          }}
          onSessionEnded={() => sessionEnded(s)}
        />
      </div>
      <p class="button-row">
        <button
          type="button"
          class="btn btn-link"
          onClick={() => {
            void signOut()
              .catch(() => undefined)
              .then(() => {
                s.signedOut({ kind: 'signedOut' });
                navigate('/dang-nhap');
              });
          }}
        >
          {t.signOut}
        </button>
      </p>
    </section>
  );
}
