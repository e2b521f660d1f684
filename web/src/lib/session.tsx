// Who is signed in, shared by the header and the pages. Checked with /api/v1/auth/me on load when
// this browser may have a session (see loadSessionHint) or the page needs one.
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { forgetSession, me, type Principal, type SessionInfo } from './auth';
import { loadSessionHint, saveSessionHint } from './prefs';

export type SessionState =
  /** Not asked yet: nothing suggests a session and the page does not need one. */
  | { status: 'unknown' }
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signed-in'; account: Principal; expiresAt: string };

/** A one-time message for the next page (e.g. "you have signed out" on the sign-in page). */
export type Flash =
  | { kind: 'signedOut' }
  | { kind: 'signedOutEverywhere' }
  | { kind: 'sessionEnded' }
  | { kind: 'passwordChanged' }
  | { kind: 'passwordChangedSignIn'; login: string }
  /** A citizen registered and was signed in. */
  | { kind: 'registered' }
  /** A citizen registered, but signing in right after did not work: sign in by hand. */
  | { kind: 'registeredSignIn'; login: string };

export interface SessionApi {
  session: SessionState;
  /** After a successful sign-in. */
  signedIn: (s: SessionInfo) => void;
  /** After sign-out, or when the server says the session is gone (401). */
  signedOut: (flash?: Flash) => void;
  /** The signed-in account changed in a way the page knows (e.g. the second factor turned on). */
  accountChanged: (patch: Partial<Principal>) => void;
  /** Takes (and clears) the pending one-time message. */
  takeFlash: () => Flash | null;
}

const noop = () => undefined;
export const SessionContext = createContext<SessionApi>({
  session: { status: 'loading' },
  signedIn: noop,
  signedOut: noop,
  accountChanged: noop,
  takeFlash: () => null,
});

export function useSession(): SessionApi {
  return useContext(SessionContext);
}

// Kept outside the state: it is read once by the next page, and must not re-render anything.
let pendingFlash: Flash | null = null;

/** Pages that need to know who is signed in, whatever the hint says. */
export function pageNeedsSession(path: string): boolean {
  return /^\/(dang-nhap|dang-ky|tai-khoan|doi-mat-khau|quan-tri)(\/|$)/.test(path);
}

/**
 * The provider's value; used once, by the App. The server is asked (once) as soon as the page
 * needs a session or this browser signed in before.
 */
export function useSessionState(path: string): SessionApi {
  const wanted = pageNeedsSession(path) || loadSessionHint();
  const [session, setSession] = useState<SessionState>(wanted ? { status: 'loading' } : { status: 'unknown' });
  const asked = useRef(false);

  useEffect(() => {
    if (!wanted || asked.current) return;
    asked.current = true;
    setSession((s) => (s.status === 'unknown' ? { status: 'loading' } : s));
    me().then(
      (s) => {
        saveSessionHint(s !== null);
        setSession((cur) =>
          // A sign-in that finished meanwhile wins.
          cur.status === 'signed-in'
            ? cur
            : s
              ? { status: 'signed-in', account: s.account, expiresAt: s.expires_at }
              : { status: 'anonymous' },
        );
      },
      // The server could not be reached: behave as signed out; pages that need a session say so.
      () => setSession((cur) => (cur.status === 'signed-in' ? cur : { status: 'anonymous' })),
    );
  }, [wanted]);

  const signedIn = useCallback((s: SessionInfo) => {
    asked.current = true;
    saveSessionHint(true);
    setSession({ status: 'signed-in', account: s.account, expiresAt: s.expires_at });
  }, []);

  const signedOut = useCallback((flash?: Flash) => {
    forgetSession();
    saveSessionHint(false);
    pendingFlash = flash ?? null;
    setSession({ status: 'anonymous' });
  }, []);

  const accountChanged = useCallback((patch: Partial<Principal>) => {
    setSession((cur) => (cur.status === 'signed-in' ? { ...cur, account: { ...cur.account, ...patch } } : cur));
  }, []);

  const takeFlash = useCallback(() => {
    const f = pendingFlash;
    pendingFlash = null;
    return f;
  }, []);

  return useMemo(
    () => ({ session, signedIn, signedOut, accountChanged, takeFlash }),
    [session, signedIn, signedOut, accountChanged, takeFlash],
  );
}

/** Sets the message the next page shows, without changing the session. */
export function setFlash(flash: Flash): void {
  pendingFlash = flash;
}
