// Service points page: /diem-phuc-vu?kind=
import { useState } from 'preact/hooks';
import { listServicePoints, type OpeningHours, type ServicePoint } from '../lib/api';
import { useI18n, type Dict } from '../i18n';
import { useApi } from '../lib/useApi';
import { useTitle } from '../lib/title';
import { navigate, type Loc } from '../lib/router';
import { ErrorBox } from '../components/ErrorBox';

const KINDS = ['centre_branch', 'commune_office', 'postal_agent'];

/** Lower-case, no diacritics, so "ba dinh" finds "Ba Đình". */
function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'd')
    .toLowerCase();
}

function span(r: [string, string] | null | undefined): string | null {
  return r ? `${r[0]}–${r[1]}` : null;
}

/** Groups consecutive weekdays with identical hours: "Thứ Hai – Thứ Sáu: 08:00–12:00, 13:30–17:00". */
function hoursLines(hours: OpeningHours[], t: Dict): string[] {
  // Monday first; weekday 0 and 7 both mean Sunday.
  const order = (d: number) => (d + 6) % 7;
  const sorted = [...hours].sort((a, b) => order(a.weekday) - order(b.weekday));
  const groups: { from: number; to: number; text: string }[] = [];
  for (const h of sorted) {
    const text = [span(h.morning), span(h.afternoon)].filter(Boolean).join(', ') || t.spClosed;
    const last = groups[groups.length - 1];
    if (last && last.text === text && order(last.to) + 1 === order(h.weekday)) last.to = h.weekday;
    else groups.push({ from: h.weekday, to: h.weekday, text });
  }
  return groups.map((g) =>
    g.from === g.to ? `${t.weekday(g.from)}: ${g.text}` : `${t.weekday(g.from)} – ${t.weekday(g.to)}: ${g.text}`,
  );
}

function PointCard({ sp }: { sp: ServicePoint }) {
  const { t } = useI18n();
  const hours = sp.hours ?? [];
  return (
    <li class="card">
      <h2 class="card-title">{sp.name}</h2>
      <p class="badges">
        <span class="badge badge-level">{t.spKinds[sp.kind] ?? sp.kind}</span>
        {typeof sp.counters === 'number' && sp.counters > 0 && <span class="badge">{t.spCounters(sp.counters)}</span>}
      </p>
      <dl class="facts facts-stack">
        {sp.address && (
          <div>
            <dt>{t.spAddress}</dt>
            <dd lang="vi">{sp.address}</dd>
          </div>
        )}
        {hours.length > 0 && (
          <div>
            <dt>{t.spHours}</dt>
            <dd>
              <ul class="plain">
                {hoursLines(hours, t).map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </dd>
          </div>
        )}
        {sp.fields && sp.fields.length > 0 && (
          <div>
            <dt>{t.spFields}</dt>
            <dd lang="vi">{sp.fields.join(', ')}</dd>
          </div>
        )}
      </dl>
    </li>
  );
}

export function ServicePoints({ loc }: { loc: Loc }) {
  const { t } = useI18n();
  useTitle(t.spTitle);
  const kind = loc.search.get('kind') ?? '';
  const [state, retry] = useApi((signal) => listServicePoints(kind, signal), [kind]);
  const [text, setText] = useState('');
  const all = state.status === 'ok' ? state.data.items : [];
  const needle = fold(text.trim());
  const items = needle
    ? all.filter((sp) => fold(`${sp.name} ${sp.address ?? ''} ${(sp.fields ?? []).join(' ')}`).includes(needle))
    : all;
  return (
    <>
      <h1>{t.spTitle}</h1>
      <p class="intro">{t.spIntro}</p>
      <div class="filters-inline">
        <div class="filter">
          <label for="sp-text">{t.spSearch}</label>
          <input
            id="sp-text"
            type="search"
            value={text}
            placeholder={t.spSearchPlaceholder}
            autocomplete="off"
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </div>
        <div class="filter">
          <label for="sp-kind">{t.spKind}</label>
          <select
            id="sp-kind"
            value={kind}
            onChange={(e) => {
              const v = e.currentTarget.value;
              navigate(v ? `/diem-phuc-vu?kind=${encodeURIComponent(v)}` : '/diem-phuc-vu');
            }}
          >
            <option value="">{t.filterAll}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t.spKinds[k]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p class="result-count" role="status" aria-live="polite">
        {state.status === 'loading' ? t.loading : state.status === 'ok' ? t.spCount(items.length) : ''}
      </p>
      {state.status === 'error' && <ErrorBox error={state.error} onRetry={retry} />}
      {state.status === 'ok' && items.length === 0 && <p class="note">{t.noServicePoints}</p>}
      {items.length > 0 && (
        <ul class="cards">
          {items.map((sp) => (
            <PointCard key={sp.code} sp={sp} />
          ))}
        </ul>
      )}
    </>
  );
}
