// Typed client for the identity API (docs/api.md, "Identity"): sign-in, the session, the second
// factor, and the administrators' account and API key management.
//
// The session itself lives in the HttpOnly cookie motcua_session, out of reach of page scripts.
// Writes made with that cookie must carry the session's anti-forgery token (X-CSRF-Token); it
// comes with sign-in and /auth/me and is kept here, in memory only (never in storage).
import { ApiError, isAbort, NetworkError, retryAfterOf, type Problem } from './api';

export type Role =
  | 'citizen'
  | 'reception_officer'
  | 'processing_officer'
  | 'unit_leader'
  | 'monitoring'
  | 'administrator'
  | 'agent';

/** Every role, in the order the server lists them. */
export const ROLES: readonly Role[] = [
  'citizen',
  'reception_officer',
  'processing_officer',
  'unit_leader',
  'monitoring',
  'administrator',
  'agent',
];

/** Officials belong to a unit; the server refuses them without one. */
export function needsUnit(role: string): boolean {
  return role === 'reception_officer' || role === 'processing_officer' || role === 'unit_leader';
}

/** Who is signed in (the `account` of sign-in and /auth/me). */
export interface Principal {
  id: number;
  login: string;
  role: Role;
  /** The role's Vietnamese title, e.g. "Cán bộ tiếp nhận". */
  role_title: string;
  /** Unit code, "" when the role has none. */
  unit: string;
  via: 'session' | 'api_key';
  must_change_password: boolean;
  /** A second factor (TOTP) is on; absent from older servers. */
  second_factor?: boolean;
  /** The person's name, when the server gives it (sign-in and /auth/me do not, so far). */
  display_name?: string;
}

/**
 * Accounts made by the first sign-in through the national identity provider: login
 * "oidc.<hex>", and no local password (nothing to change, no second factor asked here).
 */
export function isProviderAccount(a: Pick<Principal, 'login'>): boolean {
  return a.login.startsWith('oidc.');
}

/** Citizens who registered with their ID number: login "cd.<hash>"; they sign in with the number. */
export function isIdNumberAccount(a: Pick<Principal, 'login'>): boolean {
  return a.login.startsWith('cd.');
}

/** Which ways of signing in this installation offers (GET /api/v1/auth/methods). */
export interface AuthMethods {
  local: boolean;
  /** Citizens may register a local account with their ID number (POST /api/v1/auth/register). */
  citizen_registration: boolean;
  /** Sign-in through the national digital identity provider (/api/v1/auth/oidc/start). */
  provider: boolean;
}

export interface RegisterRequest {
  /** The 12 digits of the chip ID card. */
  id_number: string;
  full_name: string;
  password: string;
}

export interface SessionInfo {
  account: Principal;
  csrf_token: string;
  /** ISO 8601 UTC. */
  expires_at: string;
}

/** An account as administrators see it (GET /api/v1/accounts). */
export interface Account {
  id: number;
  login: string;
  display_name: string;
  role: Role;
  unit: string;
  disabled: boolean;
  must_change_password: boolean;
  second_factor: boolean;
  /** ISO 8601 UTC, "" when not locked. */
  locked_until: string;
  created_at: string;
}

export interface NewAccount {
  login: string;
  display_name: string;
  role: Role;
  unit?: string;
  /** Leave out to have the server generate an initial password (shown once). */
  password?: string;
}

export interface CreatedAccount {
  account: Account;
  initial_password?: string;
}

export interface TotpEnrolment {
  /** Base32, as authenticator apps expect it typed in. */
  secret: string;
  /** otpauth://totp/... */
  uri: string;
}

export interface ApiKey {
  id: number;
  name: string;
  role: Role;
  unit: string;
  created_at: string;
  revoked_at: string;
}

export interface NewApiKey {
  key: ApiKey;
  /** mck_...; shown once, only its digest is stored. */
  secret: string;
}

let csrfToken = '';

/** The anti-forgery token of the current session ("" when signed out). */
export function csrf(): string {
  return csrfToken;
}

/** Forgets the anti-forgery token (after sign-out, or when the session has ended). */
export function forgetSession(): void {
  csrfToken = '';
}

async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: signal ?? null,
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new NetworkError(String(e));
  }
  if (res.status === 204) return undefined as T;
  let parsed: unknown;
  try {
    parsed = await res.json();
  } catch (e) {
    if (isAbort(e)) throw e;
    if (!res.ok) throw new ApiError(res.status, { status: res.status }, retryAfterOf(res));
    throw new NetworkError('invalid JSON');
  }
  if (!res.ok) throw new ApiError(res.status, (parsed ?? {}) as Problem, retryAfterOf(res));
  return parsed as T;
}

/** True for "no valid credential": the session has ended or never was. */
export function isUnauthenticated(e: unknown): boolean {
  return e instanceof ApiError && e.status === 401;
}

// Session

export interface SignInRequest {
  login: string;
  password: string;
  totp_code?: string;
}

/**
 * Signs in; the server sets the session cookie. Errors: 401 (wrong login or password; with
 * field "totp_code" when the 6-digit code is needed), 429 with Retry-After (account locked, or
 * too many failures from this address), 400 (a field too long).
 */
export async function signIn(req: SignInRequest): Promise<SessionInfo> {
  const s = await call<SessionInfo>('POST', '/api/v1/auth/sign-in', req);
  csrfToken = s.csrf_token;
  return s;
}

/**
 * Where the browser goes (a full-page navigation) to sign in through the identity provider; it
 * comes back signed in to `returnTo`, a path of this site.
 */
export function providerSignInHref(returnTo: string): string {
  return `/api/v1/auth/oidc/start?return=${encodeURIComponent(returnTo).replace(/%2F/gi, '/')}`;
}

export function authMethods(signal?: AbortSignal): Promise<AuthMethods> {
  return call('GET', '/api/v1/auth/methods', undefined, signal);
}

/**
 * Registers a citizen's local account (not signed in yet: sign in with the ID number as login).
 * Errors carry `field`: "id_number" (400 not 12 digits, 409 already has an account),
 * "full_name", "password" (400, refused by the policy); 403 when registration is off; 429 with
 * Retry-After.
 */
export function register(req: RegisterRequest): Promise<{ account: Account }> {
  return call('POST', '/api/v1/auth/register', req);
}

/** The current session (after a reload), or null when not signed in. */
export async function me(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    const s = await call<SessionInfo>('GET', '/api/v1/auth/me', undefined, signal);
    csrfToken = s.csrf_token;
    return s;
  } catch (e) {
    if (isUnauthenticated(e)) {
      csrfToken = '';
      return null;
    }
    throw e;
  }
}

export async function signOut(): Promise<void> {
  try {
    await call<void>('POST', '/api/v1/auth/sign-out');
  } finally {
    csrfToken = '';
  }
}

export async function signOutEverywhere(): Promise<void> {
  try {
    await call<void>('POST', '/api/v1/auth/sign-out-everywhere');
  } finally {
    csrfToken = '';
  }
}

/**
 * Changes the password. Ends every session of the account, this one included. Errors carry
 * `field`: "current_password" (403, wrong), "password"/"new_password" (400, refused by the policy).
 */
export async function changePassword(current_password: string, new_password: string): Promise<void> {
  await call<void>('POST', '/api/v1/auth/password', { current_password, new_password });
  csrfToken = '';
}

/** Starts enrolling a second factor (409 when it is already on). */
export function beginTotp(): Promise<TotpEnrolment> {
  return call('POST', '/api/v1/auth/totp', {});
}

export function confirmTotp(code: string): Promise<void> {
  return call('POST', '/api/v1/auth/totp/confirm', { code });
}

export function disableTotp(code: string): Promise<void> {
  return call('POST', '/api/v1/auth/totp/disable', { code });
}

// Administrators: accounts and API keys

export function listAccounts(signal?: AbortSignal): Promise<{ items: Account[] }> {
  return call('GET', '/api/v1/accounts', undefined, signal);
}

export function createAccount(a: NewAccount): Promise<CreatedAccount> {
  const body: NewAccount = { login: a.login, display_name: a.display_name, role: a.role };
  if (a.unit) body.unit = a.unit;
  if (a.password) body.password = a.password;
  return call('POST', '/api/v1/accounts', body);
}

const accountPath = (login: string, action: string) => `/api/v1/accounts/${encodeURIComponent(login)}/${action}`;

/** Disables the account and ends its sessions. */
export function disableAccount(login: string): Promise<Account> {
  return call('POST', accountPath(login, 'disable'));
}

/** Enables the account again, and unlocks it. */
export function enableAccount(login: string): Promise<Account> {
  return call('POST', accountPath(login, 'enable'));
}

/** A new generated initial password (to be changed at the next sign-in); ends its sessions. */
export function resetPassword(login: string): Promise<{ initial_password: string }> {
  return call('POST', accountPath(login, 'reset-password'));
}

export function listApiKeys(signal?: AbortSignal): Promise<{ items: ApiKey[] }> {
  return call('GET', '/api/v1/api-keys', undefined, signal);
}

export function createApiKey(name: string, role: Role, unit?: string): Promise<NewApiKey> {
  return call('POST', '/api/v1/api-keys', unit ? { name, role, unit } : { name, role });
}

export function revokeApiKey(id: number): Promise<void> {
  return call('DELETE', `/api/v1/api-keys/${encodeURIComponent(String(id))}`);
}
