// User preferences remembered in localStorage (language, large text).
import type { Lang } from '../i18n';

const LANG_KEY = 'motcua.lang';
const LARGE_KEY = 'motcua.largeText';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, kiosk lockdown)
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* ignore */
  }
}

export function loadLang(): Lang {
  return read(LANG_KEY) === 'en' ? 'en' : 'vi';
}

export function saveLang(lang: Lang): void {
  write(LANG_KEY, lang);
}

export function loadLargeText(): boolean {
  return read(LARGE_KEY) === '1';
}

export function saveLargeText(on: boolean): void {
  write(LARGE_KEY, on ? '1' : '0');
}

// Whether this browser has a session (the cookie itself is HttpOnly, out of reach of scripts).
// Only a hint: it spares anonymous visitors of the public pages a /auth/me request (a 401) on
// every load; pages that need a session always ask the server.
const SESSION_HINT_KEY = 'motcua.signedIn';

export function loadSessionHint(): boolean {
  return read(SESSION_HINT_KEY) === '1';
}

export function saveSessionHint(on: boolean): void {
  if (on) write(SESSION_HINT_KEY, '1');
  else {
    try {
      localStorage.removeItem(SESSION_HINT_KEY);
    } catch {
      /* ignore */
    }
  }
}
