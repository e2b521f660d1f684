// Catalogue page: search as you type, filters, paging. State lives in the URL (?q=&field=&level=&online=).
import { useEffect, useRef, useState } from 'preact/hooks';
import { isAbort, listFields, searchProcedures, type Field, type ProcedureItem, type SearchParams } from '../lib/api';
import { useI18n } from '../i18n';
import { navigate, type Loc } from '../lib/router';
import { rememberSearch } from '../lib/lastSearch';
import { useTitle } from '../lib/title';
import { ErrorBox } from '../components/ErrorBox';
import { Filters } from './Filters';
import { ResultItem } from './ResultItem';

const PAGE = 20;
const DEBOUNCE_MS = 200;

interface Results {
  items: ProcedureItem[];
  total: number;
  confident: boolean;
}

type State =
  | { status: 'loading'; prev: Results | null }
  | { status: 'ok'; data: Results }
  | { status: 'error'; error: unknown; prev: Results | null };

function paramsOf(search: URLSearchParams): SearchParams {
  return {
    q: search.get('q') ?? '',
    field: search.get('field') ?? '',
    level: search.get('level') ?? '',
    online: search.get('online') ?? '',
  };
}

function urlOf(p: SearchParams): string {
  const sp = new URLSearchParams();
  if (p.q) sp.set('q', p.q);
  if (p.field) sp.set('field', p.field);
  if (p.level) sp.set('level', p.level);
  if (p.online) sp.set('online', p.online);
  const s = sp.toString();
  return s ? `/?${s}` : '/';
}

export function Home({ loc }: { loc: Loc }) {
  const { t } = useI18n();
  useTitle(t.homeTitle);
  const params = paramsOf(loc.search);
  const key = urlOf(params);

  // The text box updates at once; the URL (and so the search) follows after a pause.
  const [text, setText] = useState(params.q);
  const pending = useRef<number | undefined>(undefined);
  const typed = useRef(params.q);

  useEffect(() => rememberSearch(key), [key]);

  // Back/forward or a link changed q: show it in the box unless the user is typing.
  useEffect(() => {
    if (pending.current === undefined && params.q !== typed.current) {
      typed.current = params.q;
      setText(params.q);
    }
  }, [params.q]);

  useEffect(() => () => window.clearTimeout(pending.current), []);

  const commitQuery = (q: string) => {
    window.clearTimeout(pending.current);
    pending.current = undefined;
    const p = paramsOf(new URLSearchParams(location.search));
    if (p.q !== q) navigate(urlOf({ ...p, q }), { replace: true });
  };

  const onInput = (value: string) => {
    setText(value);
    typed.current = value;
    window.clearTimeout(pending.current);
    pending.current = window.setTimeout(() => commitQuery(value), DEBOUNCE_MS);
  };

  const setFilter = (k: 'field' | 'level' | 'online', value: string) => {
    navigate(urlOf({ ...params, q: typed.current, [k]: value }));
  };

  // Fields for the filter.
  const [fields, setFields] = useState<Field[]>([]);
  useEffect(() => {
    const ctrl = new AbortController();
    listFields(ctrl.signal).then(
      (r) => setFields(r.items),
      () => undefined, // the filter just stays short; the search shows any real error
    );
    return () => ctrl.abort();
  }, []);

  // Results for the current URL; a newer request aborts the older one.
  const [state, setState] = useState<State>({ status: 'loading', prev: null });
  const [attempt, setAttempt] = useState(0);
  const [more, setMore] = useState<{ loading: boolean; error: unknown }>({ loading: false, error: null });
  const moreCtrl = useRef<AbortController | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    moreCtrl.current?.abort();
    setMore({ loading: false, error: null });
    setState((s) => ({ status: 'loading', prev: s.status === 'ok' ? s.data : s.prev }));
    searchProcedures(params, 0, PAGE, ctrl.signal).then(
      (r) => setState({ status: 'ok', data: { items: r.items, total: r.total, confident: r.confident } }),
      (error: unknown) => {
        if (!isAbort(error)) setState((s) => ({ status: 'error', error, prev: s.status === 'loading' ? s.prev : null }));
      },
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);

  const loadMore = () => {
    if (state.status !== 'ok') return;
    const ctrl = new AbortController();
    moreCtrl.current = ctrl;
    setMore({ loading: true, error: null });
    const have = state.data.items;
    searchProcedures(params, have.length, PAGE, ctrl.signal).then(
      (r) => {
        setState({ status: 'ok', data: { items: [...have, ...r.items], total: r.total, confident: state.data.confident } });
        setMore({ loading: false, error: null });
      },
      (error: unknown) => {
        if (!isAbort(error)) setMore({ loading: false, error });
      },
    );
  };

  const shown = state.status === 'ok' ? state.data : state.prev;
  const q = params.q.trim();
  let status = '';
  if (state.status === 'loading' && !shown) status = t.loading;
  else if (shown) status = t.resultCount(shown.total, q);

  return (
    <>
      <section class="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t.homeTitle}</h1>
        <p class="intro">{t.homeIntro}</p>
        <form
          role="search"
          class="search"
          onSubmit={(e) => {
            e.preventDefault();
            commitQuery(text);
          }}
        >
          <label for="q" class="search-label">
            {t.searchLabel}
          </label>
          <div class="search-row">
            <input
              id="q"
              type="search"
              name="q"
              value={text}
              placeholder={t.searchPlaceholder}
              autocomplete="off"
              spellcheck={false}
              enterkeyhint="search"
              maxLength={200}
              onInput={(e) => onInput(e.currentTarget.value)}
            />
            <button type="submit" class="btn btn-primary">
              {t.searchButton}
            </button>
          </div>
        </form>
      </section>

      <Filters
        params={params}
        fields={fields}
        onChange={setFilter}
        onClear={() => navigate(urlOf({ q: typed.current, field: '', level: '', online: '' }))}
      />

      <section class="results" aria-labelledby="results-title" aria-busy={state.status === 'loading'}>
        <h2 id="results-title" class="visually-hidden">
          {t.resultsLabel}
        </h2>
        <p class="result-count" role="status" aria-live="polite" aria-atomic="true">
          {status}
        </p>
        {state.status === 'error' && <ErrorBox error={state.error} onRetry={() => setAttempt((a) => a + 1)} />}
        {shown && q && !shown.confident && shown.total > 0 && <p class="note">{t.notConfident}</p>}
        {shown && shown.total === 0 && state.status !== 'error' && <p class="note">{q && !shown.confident ? t.notConfident : t.noResults}</p>}
        {shown && shown.items.length > 0 && (
          <ol class={`result-list${state.status === 'loading' ? ' stale' : ''}`}>
            {shown.items.map((it) => (
              <ResultItem key={it.code} item={it} />
            ))}
          </ol>
        )}
        {state.status === 'ok' && state.data.items.length < state.data.total && (
          <div class="more">
            <p>{t.shown(state.data.items.length, state.data.total)}</p>
            {more.error ? (
              <ErrorBox error={more.error} onRetry={loadMore} />
            ) : (
              <button type="button" class="btn" onClick={loadMore} disabled={more.loading}>
                {more.loading ? t.loading : t.loadMore}
              </button>
            )}
          </div>
        )}
      </section>
    </>
  );
}
