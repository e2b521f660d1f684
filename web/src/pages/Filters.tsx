// Field / level / online-level filters for the catalogue.
import { useState } from 'preact/hooks';
import type { Field, SearchParams } from '../lib/api';
import { useI18n } from '../i18n';

/** Filters start open on wide screens, or when one is in use; folded on phones to keep results in view. */
function startOpen(active: number): boolean {
  return active > 0 || (typeof matchMedia === 'function' && matchMedia('(min-width: 48rem)').matches);
}

interface Props {
  params: SearchParams;
  fields: Field[];
  onChange: (key: 'field' | 'level' | 'online', value: string) => void;
  onClear: () => void;
}

export function Filters({ params, fields, onChange, onClear }: Props) {
  const { lang, t } = useI18n();
  const active = [params.field, params.level, params.online].filter(Boolean).length;
  const [open, setOpen] = useState(() => startOpen(active));
  // Keep a field from the URL selectable even before /fields has answered.
  const known = fields.some((f) => f.name_vi === params.field);
  return (
    <details class="filters" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {t.filtersLegend}
        {active > 0 && <span class="filter-count"> ({t.filtersActive(active)})</span>}
      </summary>
      <div class="filter-grid" role="group" aria-label={t.filtersLegend}>
      <div class="filter">
        <label for="f-field">{t.filterField}</label>
        <select id="f-field" value={params.field} onChange={(e) => onChange('field', e.currentTarget.value)}>
          <option value="">{t.filterAll}</option>
          {!known && params.field && <option value={params.field}>{params.field}</option>}
          {fields.map((f) => (
            <option key={f.name_vi} value={f.name_vi}>
              {(lang === 'en' && f.name_en) || f.name_vi} ({f.count})
            </option>
          ))}
        </select>
      </div>
      <div class="filter">
        <label for="f-level">{t.filterLevel}</label>
        <select id="f-level" value={params.level} onChange={(e) => onChange('level', e.currentTarget.value)}>
          <option value="">{t.filterAll}</option>
          {['commune', 'city', 'central_police'].map((v) => (
            <option key={v} value={v}>
              {t.level[v]}
            </option>
          ))}
        </select>
      </div>
      <div class="filter">
        <label for="f-online">{t.filterOnline}</label>
        <select id="f-online" value={params.online} onChange={(e) => onChange('online', e.currentTarget.value)}>
          <option value="">{t.filterAll}</option>
          {['full', 'partial', 'none'].map((v) => (
            <option key={v} value={v}>
              {t.online[v]}
            </option>
          ))}
        </select>
      </div>
      {active > 0 && (
        <button type="button" class="btn btn-link" onClick={onClear}>
          {t.clearFilters}
        </button>
      )}
      </div>
    </details>
  );
}
