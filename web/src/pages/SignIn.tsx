// Sign-in page: /dang-nhap[?tiep=/path/to/return/to]
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { authMethods, providerSignInHref, signIn, signOut, type Principal } from '../lib/auth';
import { useI18n, type Dict } from '../i18n';
import { Link, navigate, type Loc } from '../lib/router';
import { useSession, type Flash } from '../lib/session';
import { useTitle } from '../lib/title';
import { useApi } from '../lib/useApi';
import { FormAlert, msgText, Notice, problemField, TextField, useFocusFirstInvalid, type Msg } from '../components/Form';

type Field = 'login' | 'password' | 'totp_code';

/** Why the last attempt failed, kept as data so a language switch re-renders it. */
type Failure =
  | { kind: 'wrong'; withCode: boolean }
  | { kind: 'paused'; error: ApiError }
  | { kind: 'other'; error: unknown };

/** Only a path on this site (not "//elsewhere") may be the return address. */
function safeNext(v: string | null): string | null {
  return v && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/\\') ? v : null;
}

export function afterSignIn(account: Principal, next: string | null): string {
  if (account.must_change_password) return '/doi-mat-khau';
  return next && next !== '/dang-nhap' ? next : '/tai-khoan';
}

function flashText(f: Flash, t: Dict): string {
  switch (f.kind) {
    case 'signedOut':
      return t.signedOutNotice;
    case 'signedOutEverywhere':
      return t.signedOutEverywhereNotice;
    case 'sessionEnded':
      return t.sessionEndedNotice;
    case 'passwordChanged':
      return t.passwordChangedNotice;
    case 'passwordChangedSignIn':
      return t.passwordChangedSignIn;
    case 'registered':
      return t.registeredNotice;
    case 'registeredSignIn':
      return t.registeredSignIn;
  }
}

/**
 * What is typed as the login: an ID number may be typed in groups ("001 099 012 345"); the
 * server knows it only as 12 digits.
 */
function loginToSend(typed: string): string {
  const trimmed = typed.trim();
  const digits = trimmed.replace(/\s/g, '');
  return /^\d{12}$/.test(digits) ? digits : trimmed;
}

/** Where sign-in through the provider comes back to: `next`, else the account page. */
function providerReturn(next: string | null): string {
  return next && next !== '/dang-nhap' && next !== '/dang-ky' ? next : '/tai-khoan';
}

/**
 * Sign-in through the national digital identity provider: a plain link (a full-page navigation),
 * styled as the main button. The browser comes back signed in to `next` (or the account page).
 */
function ProviderSignIn({ next }: { next: string | null }) {
  const { t } = useI18n();
  return (
    <section class="panel provider-box" aria-labelledby="provider-title">
      <h2 id="provider-title">{t.providerTitle}</h2>
      <p class="field-hint" id="provider-intro">
        {t.providerIntro}
      </p>
      <a
        class="btn btn-primary btn-wide btn-provider"
        href={providerSignInHref(providerReturn(next))}
        id="provider-sign-in"
        aria-describedby="provider-intro"
      >
        <svg class="btn-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <rect x="2" y="4.5" width="20" height="15" rx="2.5" fill="none" stroke="currentColor" stroke-width="2" />
          <circle cx="8.5" cy="11" r="2.5" fill="currentColor" />
          <path d="M4.8 17c.5-2.2 2-3.3 3.7-3.3s3.2 1.1 3.7 3.3z" fill="currentColor" />
          <path d="M14 9.5h5M14 13h5" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
        <span>{t.providerButton}</span>
      </a>
    </section>
  );
}

export function SignIn({ loc }: { loc: Loc }) {
  const { lang, t } = useI18n();
  const session = useSession();
  useTitle(t.signInTitle);
  const next = safeNext(loc.search.get('tiep'));

  const [flash] = useState<Flash | null>(() => session.takeFlash());
  const [login, setLogin] = useState(
    flash?.kind === 'passwordChangedSignIn' || flash?.kind === 'registeredSignIn' ? flash.login : '',
  );
  // Which other ways in this installation offers; until known (or if unknown), just the form.
  const [methodsState] = useApi((signal) => authMethods(signal), []);
  const methods = methodsState.status === 'ok' ? methodsState.data : null;
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, Msg>>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [version, setVersion] = useState(0);
  const form = useFocusFirstInvalid(version);
  const codeInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const [focusCode, setFocusCode] = useState(0);

  useEffect(() => {
    if (focusCode > 0) codeInput.current?.focus();
  }, [focusCode]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const errs: Partial<Record<Field, Msg>> = {};
    if (!login.trim()) errs.login = 'loginRequired';
    if (!password) errs.password = 'passwordRequired';
    if (askCode && !/^\d{6}$/.test(code.replace(/\s/g, ''))) errs.totp_code = 'totpInvalid';
    setFailure(null);
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      setVersion((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      const s = await signIn({
        login: loginToSend(login),
        password,
        ...(askCode ? { totp_code: code.replace(/\s/g, '') } : {}),
      });
      setDone(true);
      session.signedIn(s);
      navigate(afterSignIn(s.account, next), { replace: true });
      window.scrollTo(0, 0);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 401 && err.problem.field === 'totp_code' && !askCode) {
        // The password was right; the account also needs its second-factor code.
        setAskCode(true);
        setFocusCode((n) => n + 1);
        return;
      }
      if (err instanceof ApiError && err.status === 401) {
        setFailure({ kind: 'wrong', withCode: askCode });
        setPassword('');
        setCode('');
        passwordInput.current?.focus();
        return;
      }
      if (err instanceof ApiError && err.status === 429) {
        setFailure({ kind: 'paused', error: err });
        return;
      }
      const field = problemField(err);
      if (field === 'login' || field === 'password' || field === 'totp_code') {
        setErrors({ [field]: { problem: err } });
        setVersion((n) => n + 1);
        return;
      }
      setFailure({ kind: 'other', error: err });
    }
  };

  if (session.session.status === 'signed-in' && !done) {
    const who = session.session.account;
    return (
      <section class="narrow">
        <h1>{t.signInTitle}</h1>
        <p>{t.alreadySignedIn(who.login)}</p>
        <p class="button-row">
          <Link class="btn btn-primary" href={afterSignIn(who, next)}>
            {who.must_change_password ? t.forcedTitle : t.goToAccount}
          </Link>
          <button
            type="button"
            class="btn"
            onClick={() => {
              void signOut()
                .catch(() => undefined)
                .then(() => session.signedOut());
            }}
          >
            {t.signOut}
          </button>
        </p>
      </section>
    );
  }

  let failureView = null;
  if (failure?.kind === 'wrong') {
    failureView = (
      <FormAlert title={t.signInFailed}>
        <p>{failure.withCode ? t.signInWrongCode : t.signInWrong}</p>
      </FormAlert>
    );
  } else if (failure?.kind === 'paused') {
    const p = failure.error.problem;
    const serverText = lang === 'vi' ? p.detail_vi : p.detail;
    const wait = failure.error.retryAfter;
    failureView = (
      <FormAlert title={t.signInPaused}>
        <p>{serverText ?? (wait !== null ? t.waitSeconds(wait) : msgText({ problem: failure.error }, lang, t))}</p>
      </FormAlert>
    );
  } else if (failure?.kind === 'other') {
    failureView = (
      <FormAlert title={t.signInFailed}>
        <p>{msgText({ problem: failure.error }, lang, t)}</p>
      </FormAlert>
    );
  }

  const err = (f: Field) => (errors[f] ? msgText(errors[f], lang, t) : undefined);
  const passwordForm = (
    <form ref={form} class="form panel" noValidate onSubmit={submit}>
      {methods?.provider && <h2>{t.passwordSignInTitle}</h2>}
      {failureView}
      {Object.keys(errors).length > 0 && (
        <FormAlert title={t.signInFailed}>
          <p>{t.formHasErrors}</p>
        </FormAlert>
      )}
      <TextField
        id="signin-login"
        // Citizens sign in with their ID number where they may register (the default).
        label={methods && !methods.citizen_registration ? t.loginLabel : t.signInLoginLabel}
        name="username"
        autocomplete="username"
        autocapitalize="none"
        spellcheck={false}
        maxLength={64}
        value={login}
        error={err('login')}
        onInput={(e) => {
          setLogin(e.currentTarget.value);
          if (askCode) {
            setAskCode(false);
            setCode('');
          }
        }}
      />
      <TextField
        id="signin-password"
        label={t.passwordLabel}
        name="password"
        type={show ? 'text' : 'password'}
        autocomplete="current-password"
        autocapitalize="none"
        spellcheck={false}
        maxLength={256}
        value={password}
        error={err('password')}
        inputRef={passwordInput}
        onInput={(e) => setPassword(e.currentTarget.value)}
      />
      <div class="check">
        <input id="signin-show" type="checkbox" checked={show} onChange={(e) => setShow(e.currentTarget.checked)} />
        <label for="signin-show">{t.showPassword}</label>
      </div>
      {askCode && (
        <>
          <p class="note" role="status">
            {t.totpNeeded}
          </p>
          <TextField
            id="signin-code"
            label={t.totpLabel}
            hint={t.totpHint}
            name="totp"
            class="input-code"
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]*"
            maxLength={7}
            value={code}
            error={err('totp_code')}
            inputRef={codeInput}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        </>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-wide" disabled={busy}>
          {busy ? t.signingIn : t.signInButton}
        </button>
      </div>
    </form>
  );
  return (
    <section class="narrow">
      <h1>{t.signInTitle}</h1>
      <p class="intro">{t.signInIntro}</p>
      {flash && <Notice>{flashText(flash, t)}</Notice>}
      {methods?.provider && <ProviderSignIn next={next} />}
      {passwordForm}
      {methods?.citizen_registration && (
        <p class="register-link">
          {t.noAccountYet} <Link href="/dang-ky">{t.registerLink}</Link>
        </p>
      )}
    </section>
  );
}
