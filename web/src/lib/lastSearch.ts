// Remembers the last catalogue URL so the procedure page can link back to the same results.
let last = '/';

export function rememberSearch(url: string): void {
  last = url;
  try {
    sessionStorage.setItem('motcua.lastSearch', url);
  } catch {
    /* ignore */
  }
}

export function lastSearch(): string {
  if (last !== '/') return last;
  try {
    return sessionStorage.getItem('motcua.lastSearch') ?? '/';
  } catch {
    return '/';
  }
}
