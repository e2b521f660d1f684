// Registration page: /dang-ky. A citizen makes a local account with the 12-digit personal ID
// number of the chip ID card, a full name and a password, and is then signed in with the number.
import { useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { authMethods, providerSignInHref, register, signIn, signOut } from '../lib/auth';
import { useI18n } from '../i18n';
import { Link, navigate } from '../lib/router';
import { setFlash, useSession } from '../lib/session';
import { useTitle } from '../lib/title';
import { useApi } from '../lib/useApi';
import { FormAlert, msgText, problemField, TextField, useFocusFirstInvalid, type Msg } from '../components/Form';
import { afterSignIn } from './SignIn';

type Field = 'id_number' | 'full_name' | 'password' | 'repeat';

/** The fields' values as typed. */
type Values = Record<Field, string>;

/** "001 099 012 345" -> "001099012345": spaces are only there to read the number. */
export function idDigits(typed: string): string {
  return typed.replace(/\s/g, '');
}

/** The name as sent: NFC (one form for the same letters), single spaces. */
export function cleanName(typed: string): string {
  return typed.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** The server counts the name in bytes of UTF-8 (200 at most). */
const NAME_MAX_BYTES = 200;
const PASSWORD_MIN_CHARS = 10;

/** What the form can tell before asking the server (which also counts failed attempts). */
export function checkRegistration(v: Values): Partial<Record<Field, Msg>> {
  const errs: Partial<Record<Field, Msg>> = {};
  const id = idDigits(v.id_number);
  const name = cleanName(v.full_name);
  if (!id) errs.id_number = 'idNumberRequired';
  else if (!/^\d{12}$/.test(id)) errs.id_number = 'idNumberInvalid';
  if (!name) errs.full_name = 'fullNameRequired';
  else if (new TextEncoder().encode(name).length > NAME_MAX_BYTES) errs.full_name = 'fullNameTooLong';
  if (!v.password) errs.password = 'passwordRequired';
  else if ([...v.password].length < PASSWORD_MIN_CHARS) errs.password = 'registerPasswordShort';
  else if (/^\d{12}$/.test(id) && v.password.includes(id)) errs.password = 'registerPasswordHasId';
  if (!v.repeat) errs.repeat = 'registerRepeatRequired';
  else if (v.password && v.password !== v.repeat) errs.repeat = 'registerMismatch';
  return errs;
}

/** Why the last attempt failed as a whole (field problems are shown next to the fields). */
type Failure = { kind: 'paused'; error: ApiError } | { kind: 'other'; error: unknown };

export function Register() {
  const { lang, t } = useI18n();
  const session = useSession();
  useTitle(t.registerTitle);
  const [methodsState] = useApi((signal) => authMethods(signal), []);
  const methods = methodsState.status === 'ok' ? methodsState.data : null;

  const [values, setValues] = useState<Values>({ id_number: '', full_name: '', password: '', repeat: '' });
  const [show, setShow] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, Msg>>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [version, setVersion] = useState(0);
  const form = useFocusFirstInvalid(version);

  const set = (f: Field) => (e: { currentTarget: HTMLInputElement }) => {
    const v = e.currentTarget.value;
    setValues((s) => ({ ...s, [f]: v }));
  };

  const fieldErrors = (errs: Partial<Record<Field, Msg>>) => {
    setErrors(errs);
    setVersion((n) => n + 1);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    const errs = checkRegistration(values);
    if (Object.keys(errs).length > 0) return fieldErrors(errs);
    setErrors({});
    setBusy(true);
    const id_number = idDigits(values.id_number);
    const password = values.password;
    try {
      await register({ id_number, full_name: cleanName(values.full_name), password });
    } catch (err) {
      setBusy(false);
      const field = problemField(err);
      if (field === 'id_number' || field === 'full_name' || field === 'password') {
        // The policy names the password "password"; a taken number comes back as "id_number".
        return fieldErrors({ [field]: { problem: err } });
      }
      if (err instanceof ApiError && err.status === 429) return setFailure({ kind: 'paused', error: err });
      return setFailure({ kind: 'other', error: err });
    }
    // Registered: sign in with the number, as the citizen will from now on.
    setDone(true);
    try {
      const s = await signIn({ login: id_number, password });
      session.signedIn(s);
      setFlash({ kind: 'registered' });
      navigate(afterSignIn(s.account, null), { replace: true });
      window.scrollTo(0, 0);
    } catch {
      // The account exists; the sign-in page says so, the number filled in.
      session.signedOut({ kind: 'registeredSignIn', login: id_number });
      navigate('/dang-nhap', { replace: true });
      window.scrollTo(0, 0);
    }
  };

  if (session.session.status === 'signed-in' && !done) {
    const who = session.session.account;
    return (
      <section class="narrow">
        <h1>{t.registerTitle}</h1>
        <p>{t.alreadySignedIn(who.login)}</p>
        <p class="button-row">
          <Link class="btn btn-primary" href={afterSignIn(who, null)}>
            {t.goToAccount}
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

  const providerLink = methods?.provider && (
    <div class="panel provider-box">
      <p id="provider-hint">{t.registerProviderHint}</p>
      <a class="btn btn-provider" href={providerSignInHref('/tai-khoan')} aria-describedby="provider-hint">
        {t.providerButton}
      </a>
    </div>
  );

  if (methods && !methods.citizen_registration) {
    return (
      <section class="narrow">
        <h1>{t.registerTitle}</h1>
        <p>{t.registerOff}</p>
        {methods.provider && <p>{t.registerOffProvider}</p>}
        <p class="button-row">
          {methods.provider && (
            <a class="btn btn-primary btn-provider" href={providerSignInHref('/tai-khoan')}>
              {t.providerButton}
            </a>
          )}
          <Link class="btn" href="/dang-nhap">
            {t.signIn}
          </Link>
        </p>
      </section>
    );
  }

  let failureView = null;
  if (failure?.kind === 'paused') {
    const p = failure.error.problem;
    const serverText = lang === 'vi' ? p.detail_vi : p.detail;
    const wait = failure.error.retryAfter;
    failureView = (
      <FormAlert title={t.registerPaused}>
        <p>{serverText ?? (wait !== null ? t.waitSeconds(wait) : msgText({ problem: failure.error }, lang, t))}</p>
      </FormAlert>
    );
  } else if (failure?.kind === 'other') {
    failureView = (
      <FormAlert title={t.registerFailed}>
        <p>{msgText({ problem: failure.error }, lang, t)}</p>
      </FormAlert>
    );
  }

  const err = (f: Field) => (errors[f] ? msgText(errors[f], lang, t) : undefined);
  return (
    <section class="narrow">
      <h1>{t.registerTitle}</h1>
      <p class="intro">{t.registerIntro}</p>
      <p class="privacy-note" id="register-privacy">
        <svg class="note-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
          <path d="M10 1.5 3 4.5v5c0 4.2 2.9 7.7 7 9 4.1-1.3 7-4.8 7-9v-5z" fill="currentColor" />
          <path d="m6.5 10 2.5 2.5 4.5-5" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
        <span>{t.registerPrivacy}</span>
      </p>
      <form ref={form} class="form panel" noValidate onSubmit={submit}>
        {failureView}
        {Object.keys(errors).length > 0 && (
          <FormAlert title={t.registerFailed}>
            <p>{t.formHasErrors}</p>
          </FormAlert>
        )}
        <TextField
          id="reg-id"
          label={t.idNumberLabel}
          hint={t.idNumberHint}
          describedBy="register-privacy"
          name="username"
          class="input-id"
          inputMode="numeric"
          pattern="[0-9 ]*"
          autocomplete="username"
          spellcheck={false}
          maxLength={16}
          value={values.id_number}
          error={err('id_number')}
          onInput={set('id_number')}
        />
        <TextField
          id="reg-name"
          label={t.displayNameLabel}
          hint={t.fullNameHint}
          name="name"
          autocomplete="name"
          autocapitalize="words"
          maxLength={120}
          value={values.full_name}
          error={err('full_name')}
          onInput={set('full_name')}
        />
        <TextField
          id="reg-password"
          label={t.passwordLabel}
          hint={t.registerPasswordRules}
          name="password"
          type={show ? 'text' : 'password'}
          autocomplete="new-password"
          autocapitalize="none"
          spellcheck={false}
          maxLength={256}
          value={values.password}
          error={err('password')}
          onInput={set('password')}
        />
        <TextField
          id="reg-repeat"
          label={t.registerRepeat}
          type={show ? 'text' : 'password'}
          autocomplete="new-password"
          autocapitalize="none"
          spellcheck={false}
          maxLength={256}
          value={values.repeat}
          error={err('repeat')}
          onInput={set('repeat')}
        />
        <div class="check">
          <input id="reg-show" type="checkbox" checked={show} onChange={(e) => setShow(e.currentTarget.checked)} />
          <label for="reg-show">{t.showPassword}</label>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary btn-wide" disabled={busy}>
            {busy ? t.registering : t.registerButton}
          </button>
        </div>
      </form>
      <p class="register-link">
        {t.haveAccount} <Link href="/dang-nhap">{t.signIn}</Link>
      </p>
      {providerLink}
    </section>
  );
}
