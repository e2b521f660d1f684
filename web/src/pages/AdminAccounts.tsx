// /quan-tri/tai-khoan (administrators): the accounts, creating one, disabling/enabling, and issuing
// a new initial password. Generated passwords are shown once, in a marked box.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, listUnits, type Unit } from '../lib/api';
import {
  createAccount,
  disableAccount,
  enableAccount,
  isUnauthenticated,
  listAccounts,
  needsUnit,
  resetPassword,
  ROLES,
  type Account,
  type Role,
} from '../lib/auth';
import { useI18n, type Dict } from '../i18n';
import { formatDateTime } from '../lib/format';
import { useSession } from '../lib/session';
import { useTitle } from '../lib/title';
import { useApi } from '../lib/useApi';
import { ErrorBox } from '../components/ErrorBox';
import {
  FormAlert,
  msgText,
  Notice,
  problemField,
  SelectField,
  TextField,
  useFocusFirstInvalid,
  type Msg,
} from '../components/Form';
import { Checking, NeedsSignIn, NotAllowed, sessionEnded, useForcedPasswordChange } from '../components/Guard';

const UNIT_KIND_ORDER = ['province', 'ward', 'commune'];

interface Secret {
  login: string;
  password: string;
}

/** A generated password, shown once: clearly marked, focused when it appears, dismissable. */
function SecretBox({ secret, onDismiss }: { secret: Secret; onDismiss: () => void }) {
  const { t } = useI18n();
  const box = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    setCopied(false);
    box.current?.focus();
    box.current?.scrollIntoView?.({ block: 'nearest' });
  }, [secret]);
  const canCopy = typeof navigator !== 'undefined' && !!navigator.clipboard;
  return (
    <section class="secret-box" tabIndex={-1} ref={box} aria-labelledby="secret-title">
      <h2 id="secret-title">{t.initialPasswordTitle(secret.login)}</h2>
      <p>
        <code class="secret-value" id="initial-password" translate={false}>
          {secret.password}
        </code>
      </p>
      <p>{t.initialPasswordNote}</p>
      <p class="button-row">
        {canCopy && (
          <button
            type="button"
            class="btn"
            onClick={() => {
              void navigator.clipboard.writeText(secret.password).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {copied ? t.copied : t.copy}
          </button>
        )}
        <button type="button" class="btn btn-primary" onClick={onDismiss}>
          {t.hideSecret}
        </button>
      </p>
    </section>
  );
}

function isLocked(a: Account, now: number): boolean {
  if (!a.locked_until) return false;
  const until = Date.parse(a.locked_until);
  return Number.isNaN(until) || until > now;
}

function Status({ a }: { a: Account }) {
  const { t } = useI18n();
  const locked = isLocked(a, Date.now());
  return (
    <span class="badges badges-stack">
      {a.disabled ? (
        <span class="badge badge-off">{t.statusDisabled}</span>
      ) : locked ? (
        <span class="badge badge-warn">{t.statusLocked(formatDateTime(a.locked_until) || a.locked_until)}</span>
      ) : (
        <span class="badge badge-ok">{t.statusActive}</span>
      )}
      {a.must_change_password && <span class="badge badge-partial">{t.statusMustChange}</span>}
      {a.second_factor && <span class="badge badge-level">{t.statusSecondFactor}</span>}
    </span>
  );
}

type Confirming = { login: string; action: 'disable' | 'reset' } | null;

function AccountsTable({
  accounts,
  units,
  me,
  busy,
  onAction,
}: {
  accounts: Account[];
  units: Map<string, Unit>;
  me: string;
  busy: string;
  onAction: (login: string, action: 'disable' | 'enable' | 'reset') => void;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState<Confirming>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const action = (a: Account, kind: 'disable' | 'enable' | 'reset', label: string) => (
    <button
      type="button"
      class="btn btn-small"
      disabled={busy === a.login}
      onClick={() => (kind === 'enable' ? onAction(a.login, kind) : setConfirming({ login: a.login, action: kind }))}
    >
      {label}
      <span class="visually-hidden"> {t.forAccount(a.login)}</span>
    </button>
  );

  return (
    <div class="table-wrap">
      <table class="accounts" role="table">
        <caption class="visually-hidden">{t.accountsListTitle}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">{t.colLogin}</th>
            <th scope="col" role="columnheader">{t.colName}</th>
            <th scope="col" role="columnheader">{t.roleLabel}</th>
            <th scope="col" role="columnheader">{t.unitLabel}</th>
            <th scope="col" role="columnheader">{t.colStatus}</th>
            <th scope="col" role="columnheader">{t.colActions}</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {accounts.map((a) => {
            const unit = a.unit ? units.get(a.unit) : undefined;
            const locked = isLocked(a, Date.now());
            const rows = [
              <tr key={a.login} data-login={a.login} role="row">
                <th scope="row" role="rowheader">
                  <span class="code">{a.login}</span>
                  {a.login === me && <span class="muted"> {t.you}</span>}
                </th>
                <td role="cell" data-label={t.colName}>
                  <span lang="vi">{a.display_name}</span>
                </td>
                <td role="cell" data-label={t.roleLabel}>
                  {t.roles[a.role] ?? a.role}
                </td>
                <td role="cell" data-label={t.unitLabel}>
                  {a.unit ? <span lang="vi">{unit?.name ?? a.unit}</span> : (
                    <span class="muted">
                      <span aria-hidden="true">—</span>
                      <span class="visually-hidden">{t.noUnit}</span>
                    </span>
                  )}
                </td>
                <td role="cell" data-label={t.colStatus}>
                  <Status a={a} />
                </td>
                <td role="cell">
                  <span class="row-actions">
                    {a.login !== me &&
                      (a.disabled
                        ? action(a, 'enable', t.actEnable)
                        : locked
                          ? action(a, 'enable', t.actUnlock)
                          : action(a, 'disable', t.actDisable))}
                    {action(a, 'reset', t.actReset)}
                  </span>
                </td>
              </tr>,
            ];
            if (confirming?.login === a.login) {
              rows.push(
                <tr key={`${a.login}-confirm`} class="confirm-row" role="row">
                  <td colSpan={6} role="cell">
                    <p>{confirming.action === 'disable' ? t.confirmDisable(a.login) : t.confirmReset(a.login)}</p>
                    <p class="button-row">
                      <button
                        type="button"
                        class="btn btn-primary btn-small"
                        ref={confirmButton}
                        onClick={() => {
                          setConfirming(null);
                          onAction(a.login, confirming.action);
                        }}
                      >
                        {confirming.action === 'disable' ? t.actDisable : t.actReset}
                        <span class="visually-hidden"> {t.forAccount(a.login)}</span>
                      </button>
                      <button type="button" class="btn btn-small" onClick={() => setConfirming(null)}>
                        {t.cancel}
                      </button>
                    </p>
                  </td>
                </tr>,
              );
            }
            return rows;
          })}
        </tbody>
      </table>
    </div>
  );
}

type CreateField = 'login' | 'display_name' | 'role' | 'unit' | 'password';

function CreateAccountForm({
  units,
  onCreated,
  onSessionEnded,
}: {
  units: Unit[];
  onCreated: (a: Account, initialPassword: string | undefined) => void;
  onSessionEnded: () => void;
}) {
  const { lang, t } = useI18n();
  const empty = { login: '', display_name: '', role: 'reception_officer' as Role, unit: '', password: '' };
  const [v, setV] = useState(empty);
  const [errors, setErrors] = useState<Partial<Record<CreateField, Msg>>>({});
  const [alert, setAlert] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const form = useFocusFirstInvalid(version);
  const official = needsUnit(v.role);

  const fail = (errs: Partial<Record<CreateField, Msg>>, formMsg: Msg | null) => {
    setErrors(errs);
    setAlert(formMsg);
    setVersion((n) => n + 1);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const errs: Partial<Record<CreateField, Msg>> = {};
    if (!v.login.trim()) errs.login = 'loginRequired';
    if (!v.display_name.trim()) errs.display_name = 'displayNameRequired';
    if (official && !v.unit) errs.unit = 'unitRequired';
    if (Object.keys(errs).length > 0) return fail(errs, 'formHasErrors');
    setBusy(true);
    try {
      const created = await createAccount({
        login: v.login.trim(),
        display_name: v.display_name.trim(),
        role: v.role,
        ...(official ? { unit: v.unit } : {}),
        ...(v.password ? { password: v.password } : {}),
      });
      setBusy(false);
      setV(empty);
      setErrors({});
      setAlert(null);
      onCreated(created.account, created.initial_password);
    } catch (err) {
      setBusy(false);
      if (isUnauthenticated(err)) return onSessionEnded();
      const field = problemField(err);
      if (field === 'login' || field === 'display_name' || field === 'role' || field === 'unit' || field === 'password')
        return fail({ [field]: { problem: err } }, null);
      fail({}, { problem: err });
    }
  };

  const err = (f: CreateField) => (errors[f] ? msgText(errors[f], lang, t) : undefined);
  const groups = UNIT_KIND_ORDER.map((kind) => ({ kind, items: units.filter((u) => u.kind === kind) })).filter(
    (g) => g.items.length > 0,
  );
  const others = units.filter((u) => !UNIT_KIND_ORDER.includes(u.kind));

  return (
    <form ref={form} class="form form-grid" noValidate onSubmit={submit} aria-labelledby="create-title">
      {alert && (
        <FormAlert title={t.errorTitle}>
          <p>{msgText(alert, lang, t)}</p>
        </FormAlert>
      )}
      <TextField
        id="new-login"
        label={t.loginLabel}
        hint={t.loginHint}
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
        maxLength={64}
        value={v.login}
        error={err('login')}
        onInput={(e) => setV({ ...v, login: e.currentTarget.value })}
      />
      <TextField
        id="new-name"
        label={t.displayNameLabel}
        autocomplete="off"
        maxLength={200}
        value={v.display_name}
        error={err('display_name')}
        onInput={(e) => setV({ ...v, display_name: e.currentTarget.value })}
      />
      <SelectField
        id="new-role"
        label={t.roleLabel}
        value={v.role}
        error={err('role')}
        onChange={(e) => setV({ ...v, role: e.currentTarget.value as Role })}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {t.roles[r]}
          </option>
        ))}
      </SelectField>
      {official && (
        <SelectField
          id="new-unit"
          label={t.unitLabel}
          hint={t.unitHint}
          value={v.unit}
          error={err('unit')}
          onChange={(e) => setV({ ...v, unit: e.currentTarget.value })}
        >
          <option value="">{t.unitChoose}</option>
          {groups.map((g) => (
            <optgroup key={g.kind} label={t.unitKinds[g.kind] ?? g.kind}>
              {g.items.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.name}
                </option>
              ))}
            </optgroup>
          ))}
          {others.map((u) => (
            <option key={u.code} value={u.code}>
              {u.name}
            </option>
          ))}
        </SelectField>
      )}
      <TextField
        id="new-password"
        label={t.optionalPassword}
        hint={t.optionalPasswordHint}
        type="password"
        autocomplete="new-password"
        maxLength={256}
        value={v.password}
        error={err('password')}
        onInput={(e) => setV({ ...v, password: e.currentTarget.value })}
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? t.saving : t.createButton}
        </button>
      </div>
    </form>
  );
}

export function AdminAccounts() {
  const { t } = useI18n();
  const s = useSession();
  useTitle(t.adminTitle);
  const forced = useForcedPasswordChange();
  const admin = s.session.status === 'signed-in' && s.session.account.role === 'administrator';
  const [accounts, reload] = useApi(
    (signal) => (admin && !forced ? listAccounts(signal) : Promise.resolve({ items: [] as Account[] })),
    [admin, forced],
  );
  const [units] = useApi((signal) => (admin ? listUnits(signal) : Promise.resolve({ items: [] as Unit[] })), [admin]);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [notice, setNotice] = useState<{ text: (t: Dict) => string } | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState('');

  const onSessionEnded = () => sessionEnded(s);
  const expired = accounts.status === 'error' && isUnauthenticated(accounts.error);
  useEffect(() => {
    if (expired) onSessionEnded();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [expired]);

  const { session } = s;
  if (session.status === 'loading' || session.status === 'unknown' || forced) return <Checking title={t.adminTitle} />;
  if (session.status === 'anonymous') return <NeedsSignIn title={t.adminTitle} />;
  const forbidden = accounts.status === 'error' && accounts.error instanceof ApiError && accounts.error.status === 403;
  if (!admin || forbidden) return <NotAllowed title={t.adminTitle} />;

  const unitList = units.status === 'ok' ? units.data.items : [];
  const unitMap = new Map(unitList.map((u) => [u.code, u]));

  const onAction = async (login: string, action: 'disable' | 'enable' | 'reset') => {
    setBusy(login);
    setActionError(null);
    setNotice(null);
    try {
      if (action === 'reset') {
        const r = await resetPassword(login);
        setSecret({ login, password: r.initial_password });
      } else if (action === 'disable') {
        await disableAccount(login);
        setNotice({ text: (t) => t.disabledNotice(login) });
      } else {
        await enableAccount(login);
        setNotice({ text: (t) => t.enabledNotice(login) });
      }
      reload();
    } catch (err) {
      if (isUnauthenticated(err)) return onSessionEnded();
      setActionError(err);
    } finally {
      setBusy('');
    }
  };

  const list = accounts.status === 'ok' ? accounts.data.items : [];
  return (
    <>
      <h1>{t.adminTitle}</h1>
      <p class="intro">{t.adminIntro}</p>
      {secret && <SecretBox secret={secret} onDismiss={() => setSecret(null)} />}
      {notice && <Notice>{notice.text(t)}</Notice>}
      {actionError !== null && <ErrorBox error={actionError} />}

      <section aria-labelledby="accounts-title">
        <h2 id="accounts-title">{t.accountsListTitle}</h2>
        <p class="result-count" role="status" aria-live="polite">
          {accounts.status === 'loading' ? t.loading : accounts.status === 'ok' ? t.accountsCount(list.length) : ''}
        </p>
        {accounts.status === 'error' && !expired && <ErrorBox error={accounts.error} onRetry={reload} />}
        {list.length > 0 && (
          <AccountsTable
            accounts={list}
            units={unitMap}
            me={session.account.login}
            busy={busy}
            onAction={(login, action) => void onAction(login, action)}
          />
        )}
      </section>

      <section class="panel" aria-labelledby="create-title">
        <h2 id="create-title">{t.createTitle}</h2>
        <CreateAccountForm
          units={unitList}
          onSessionEnded={onSessionEnded}
          onCreated={(a, initial) => {
            setActionError(null);
            if (initial) {
              setNotice(null);
              setSecret({ login: a.login, password: initial });
            } else {
              setSecret(null);
              setNotice({ text: (t) => t.createdNotice(a.login) });
            }
            reload();
          }}
        />
      </section>
    </>
  );
}
