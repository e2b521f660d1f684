// Change-password form (current, new, repeat), with the server's policy errors next to the field.
// Used on the account page and for the forced change of an initial password.
import { useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { changePassword, isUnauthenticated } from '../lib/auth';
import { useI18n } from '../i18n';
import { FormAlert, msgText, problemField, TextField, useFocusFirstInvalid, type Msg } from './Form';

type Field = 'current' | 'next' | 'repeat';

export function PasswordForm({
  idPrefix,
  initial = false,
  onChanged,
  onSessionEnded,
}: {
  idPrefix: string;
  /** The current password is the initial one an administrator gave. */
  initial?: boolean;
  /** Called with the new password once the server has accepted it (every session has ended). */
  onChanged: (newPassword: string) => void;
  /** The session was already gone (401). */
  onSessionEnded: () => void;
}) {
  const { lang, t } = useI18n();
  const [values, setValues] = useState<Record<Field, string>>({ current: '', next: '', repeat: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, Msg>>>({});
  const [alert, setAlert] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const form = useFocusFirstInvalid(version);

  const set = (f: Field) => (e: { currentTarget: HTMLInputElement }) => {
    const v = e.currentTarget.value;
    setValues((s) => ({ ...s, [f]: v }));
  };

  const fail = (errs: Partial<Record<Field, Msg>>, formMsg: Msg | null = null) => {
    setErrors(errs);
    setAlert(formMsg);
    setVersion((n) => n + 1);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const errs: Partial<Record<Field, Msg>> = {};
    if (!values.current) errs.current = 'currentRequired';
    if (!values.next) errs.next = 'newRequired';
    if (!values.repeat) errs.repeat = 'repeatRequired';
    else if (values.next && values.next !== values.repeat) errs.repeat = 'passwordMismatch';
    if (Object.keys(errs).length > 0) return fail(errs, 'formHasErrors');
    setBusy(true);
    try {
      await changePassword(values.current, values.next);
      setValues({ current: '', next: '', repeat: '' });
      setErrors({});
      setAlert(null);
      setBusy(false);
      onChanged(values.next);
    } catch (err) {
      setBusy(false);
      if (isUnauthenticated(err)) return onSessionEnded();
      const field = problemField(err);
      // The policy names the new password "password"; the request calls it "new_password".
      if (field === 'current_password') return fail({ current: { problem: err } });
      if (field === 'password' || field === 'new_password') return fail({ next: { problem: err } });
      fail({}, err instanceof ApiError || err instanceof Error ? { problem: err } : 'errorTitle');
    }
  };

  const err = (f: Field) => (errors[f] ? msgText(errors[f], lang, t) : undefined);
  return (
    <form ref={form} class="form" noValidate onSubmit={submit}>
      {alert && <FormAlert title={t.errorTitle}>{<p>{msgText(alert, lang, t)}</p>}</FormAlert>}
      <TextField
        id={`${idPrefix}-current`}
        label={initial ? t.initialPassword : t.currentPassword}
        type="password"
        autocomplete="current-password"
        value={values.current}
        onInput={set('current')}
        error={err('current')}
      />
      <TextField
        id={`${idPrefix}-new`}
        label={t.newPassword}
        hint={t.passwordRules}
        type="password"
        autocomplete="new-password"
        value={values.next}
        onInput={set('next')}
        error={err('next')}
      />
      <TextField
        id={`${idPrefix}-repeat`}
        label={t.repeatPassword}
        type="password"
        autocomplete="new-password"
        value={values.repeat}
        onInput={set('repeat')}
        error={err('repeat')}
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? t.saving : initial ? t.forcedButton : t.changePasswordButton}
        </button>
      </div>
    </form>
  );
}
