// /tai-khoan: who you are, change password, the second factor, sign out (here or everywhere).
import { useState } from 'preact/hooks';
import { ApiError, listUnits } from '../lib/api';
import {
  beginTotp,
  confirmTotp,
  disableTotp,
  isIdNumberAccount,
  isProviderAccount,
  isUnauthenticated,
  signOut,
  signOutEverywhere,
  type Principal,
  type TotpEnrolment,
} from '../lib/auth';
import { useI18n } from '../i18n';
import { formatDateTime } from '../lib/format';
import { navigate } from '../lib/router';
import { useSession, type Flash } from '../lib/session';
import { useTitle } from '../lib/title';
import { useApi } from '../lib/useApi';
import { FormAlert, msgText, Notice, problemField, TextField, type Msg } from '../components/Form';
import { Checking, NeedsSignIn, sessionEnded, signInAgain, useForcedPasswordChange } from '../components/Guard';
import { PasswordForm } from '../components/PasswordForm';

/** "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP": easier to read out and type. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

function UnitName({ code }: { code: string }) {
  const { t } = useI18n();
  const [units] = useApi((signal) => listUnits(signal), []);
  if (!code) return <>{t.noUnit}</>;
  const unit = units.status === 'ok' ? units.data.items.find((u) => u.code === code) : undefined;
  return unit ? (
    <>
      <span lang="vi">{unit.name}</span> <span class="muted">({code})</span>
    </>
  ) : (
    <>{code}</>
  );
}

type Totp =
  | { step: 'idle' }
  | { step: 'enrolling'; enrolment: TotpEnrolment }
  | { step: 'on' };

function SecondFactor({ on, onSessionEnded }: { on: boolean; onSessionEnded: () => void }) {
  const { lang, t } = useI18n();
  const session = useSession();
  const [state, setState] = useState<Totp>(on ? { step: 'on' } : { step: 'idle' });
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<Msg | null>(null);
  const [alert, setAlert] = useState<Msg | null>(null);
  const [notice, setNotice] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);

  const failed = (err: unknown) => {
    setBusy(false);
    if (isUnauthenticated(err)) return onSessionEnded();
    if (problemField(err) === 'code') setCodeError({ problem: err });
    else setAlert({ problem: err });
  };

  const start = async () => {
    setBusy(true);
    setAlert(null);
    setNotice(null);
    try {
      const enrolment = await beginTotp();
      setState({ step: 'enrolling', enrolment });
      setBusy(false);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // Already on (turned on elsewhere since this page loaded): the server refuses a second enrolment.
        setBusy(false);
        setState({ step: 'on' });
        session.accountChanged({ second_factor: true });
        return;
      }
      failed(err);
    }
  };

  const submitCode = async (e: Event, action: 'confirm' | 'disable') => {
    e.preventDefault();
    if (busy) return;
    setAlert(null);
    setNotice(null);
    const c = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(c)) {
      setCodeError('totpInvalid');
      document.getElementById('totp-code')?.focus();
      return;
    }
    setCodeError(null);
    setBusy(true);
    try {
      if (action === 'confirm') await confirmTotp(c);
      else await disableTotp(c);
      setBusy(false);
      setCode('');
      setState(action === 'confirm' ? { step: 'on' } : { step: 'idle' });
      session.accountChanged({ second_factor: action === 'confirm' });
      setNotice(action === 'confirm' ? 'totpEnabledNotice' : 'totpDisabledNotice');
    } catch (err) {
      failed(err);
      if (problemField(err) === 'code') document.getElementById('totp-code')?.focus();
    }
  };

  const codeField = (hint: string) => (
    <TextField
      id="totp-code"
      label={t.totpLabel}
      hint={hint}
      class="input-code"
      inputMode="numeric"
      autocomplete="one-time-code"
      pattern="[0-9]*"
      maxLength={7}
      value={code}
      error={codeError ? msgText(codeError, lang, t) : undefined}
      onInput={(e) => setCode(e.currentTarget.value)}
    />
  );

  return (
    <section class="panel" aria-labelledby="totp-title">
      <h2 id="totp-title">{t.totpTitle}</h2>
      {notice && <Notice>{msgText(notice, lang, t)}</Notice>}
      {alert && (
        <FormAlert title={t.errorTitle}>
          <p>{msgText(alert, lang, t)}</p>
        </FormAlert>
      )}
      {state.step === 'idle' && (
        <>
          <p>{t.totpIntro}</p>
          <button type="button" class="btn" disabled={busy} onClick={() => void start()}>
            {t.totpStart}
          </button>
        </>
      )}
      {state.step === 'enrolling' && (
        <form class="form" noValidate onSubmit={(e) => void submitCode(e, 'confirm')}>
          <ol class="steps">
            <li>
              <p>{t.totpStep1}</p>
              <dl class="secret-list">
                <div>
                  <dt>{t.totpSecretLabel}</dt>
                  <dd>
                    <code class="secret-value" id="totp-secret" translate={false}>
                      {groupSecret(state.enrolment.secret)}
                    </code>
                  </dd>
                </div>
                <div>
                  <dt>{t.totpUriLabel}</dt>
                  <dd>
                    <code class="uri" id="totp-uri" translate={false}>
                      {state.enrolment.uri}
                    </code>
                  </dd>
                </div>
              </dl>
              <p class="muted">{t.totpSecretWarning}</p>
            </li>
            <li>
              <p>{t.totpStep2}</p>
              {codeField(t.totpHint)}
            </li>
          </ol>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? t.saving : t.totpConfirm}
            </button>
            <button
              type="button"
              class="btn btn-link"
              onClick={() => {
                setState({ step: 'idle' });
                setCode('');
                setCodeError(null);
              }}
            >
              {t.cancel}
            </button>
          </div>
        </form>
      )}
      {state.step === 'on' && (
        <>
          <p>
            <span class="badge badge-full">{t.statusSecondFactor}</span> {t.totpOn}
          </p>
          <form class="form" noValidate onSubmit={(e) => void submitCode(e, 'disable')}>
            <h3>{t.totpDisable}</h3>
            {codeField(t.totpDisableHint)}
            <div class="form-actions">
              <button type="submit" class="btn" disabled={busy}>
                {busy ? t.saving : t.totpDisable}
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}

function Sessions({ onSignedOut }: { onSignedOut: (flash: Flash) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const run = (everywhere: boolean) => {
    setBusy(true);
    // Whatever the server answers (a 401 means the session had already ended), we are signed out.
    void (everywhere ? signOutEverywhere() : signOut())
      .catch(() => undefined)
      .then(() => onSignedOut({ kind: everywhere ? 'signedOutEverywhere' : 'signedOut' }));
  };
  return (
    <section class="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t.sessionsTitle}</h2>
      <p class="button-row">
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => run(false)}>
          {t.signOut}
        </button>
        <button type="button" class="btn" disabled={busy} onClick={() => run(true)} aria-describedby="everywhere-hint">
          {t.signOutEverywhere}
        </button>
      </p>
      <p class="field-hint" id="everywhere-hint">
        {t.signOutEverywhereHint}
      </p>
    </section>
  );
}

function AccountDetails({ account, expiresAt }: { account: Principal; expiresAt: string }) {
  const { lang, t } = useI18n();
  const roleTitle = lang === 'vi' ? account.role_title || t.roles[account.role] : t.roles[account.role] ?? account.role;
  const expires = formatDateTime(expiresAt);
  const name = account.display_name?.trim();
  const provider = isProviderAccount(account);
  const idNumber = isIdNumberAccount(account);
  return (
    <dl class="summary" id="account-summary">
      {name && (
        <div>
          <dt>{t.displayNameLabel}</dt>
          <dd id="account-name">{name}</dd>
        </div>
      )}
      <div>
        {/* A citizen's login is a code made from the ID number or the provider's subject. */}
        <dt>{provider || idNumber ? t.accountCodeLabel : t.loginLabel}</dt>
        <dd class="code account-login" id="account-login" translate={false}>
          {account.login}
        </dd>
      </div>
      <div>
        <dt>{t.roleLabel}</dt>
        <dd id="account-role">{roleTitle}</dd>
      </div>
      {provider || idNumber ? (
        <div>
          <dt>{t.signInMethodLabel}</dt>
          <dd id="account-method">{provider ? t.methodProvider : t.methodIdNumber}</dd>
        </div>
      ) : (
        <div>
          <dt>{t.unitLabel}</dt>
          <dd>
            <UnitName code={account.unit} />
          </dd>
        </div>
      )}
      {expires && (
        <div>
          <dt>{t.sessionExpires}</dt>
          <dd>{expires}</dd>
        </div>
      )}
    </dl>
  );
}

export function AccountPage() {
  const { t } = useI18n();
  const s = useSession();
  useTitle(t.accountTitle);
  const forced = useForcedPasswordChange();
  const [flash] = useState<Flash | null>(() => s.takeFlash());
  const [changed, setChanged] = useState(flash?.kind === 'passwordChanged');

  const { session } = s;
  if (session.status === 'loading' || session.status === 'unknown' || forced) return <Checking title={t.accountTitle} />;
  if (session.status === 'anonymous') return <NeedsSignIn title={t.accountTitle} />;
  const account = session.account;
  const onSessionEnded = () => sessionEnded(s);
  // Provider accounts have no local password, and the provider does the strong authentication.
  const provider = isProviderAccount(account);

  return (
    <>
      <h1>{t.accountTitle}</h1>
      {changed && <Notice>{t.passwordChangedNotice}</Notice>}
      {flash?.kind === 'registered' && <Notice>{t.registeredNotice}</Notice>}
      <AccountDetails account={account} expiresAt={session.expiresAt} />

      <div class="panels">
        {provider ? (
          <section class="panel" aria-labelledby="provider-account-title" id="provider-account">
            <h2 id="provider-account-title">{t.providerAccountTitle}</h2>
            <p>{t.providerAccountText}</p>
          </section>
        ) : (
          <section class="panel" aria-labelledby="password-title">
            <h2 id="password-title">{t.changePasswordTitle}</h2>
            <p class="field-hint">{t.changePasswordNote}</p>
            <PasswordForm
              idPrefix="pw"
              onChanged={(pw) => {
                setChanged(false);
                void signInAgain(s, account.login, pw).then((ok) => {
                  if (ok) setChanged(true);
                });
              }}
              onSessionEnded={onSessionEnded}
            />
          </section>
        )}
        {!provider && <SecondFactor on={account.second_factor === true} onSessionEnded={onSessionEnded} />}
        <Sessions
          onSignedOut={(flash) => {
            s.signedOut(flash);
            navigate('/dang-nhap');
          }}
        />
      </div>
    </>
  );
}
