// One procedure in the search results.
import type { ProcedureItem } from '../lib/api';
import { useI18n } from '../i18n';
import { Highlight } from '../components/Highlight';
import { LevelBadge, OnlineBadge } from '../components/Badges';
import { formatDays, formatFee } from '../lib/format';
import { Link } from '../lib/router';

export function ResultItem({ item }: { item: ProcedureItem }) {
  const { lang, t } = useI18n();
  const en = lang === 'en' && !!item.name_en;
  const name = en ? (item.name_en as string) : item.name_vi;
  const segments = en ? item.highlight?.name_en : item.highlight?.name_vi;
  const other = en ? item.name_vi : item.name_en;
  const field = lang === 'en' && item.field_en ? item.field_en : item.field;
  return (
    <li class="result">
      <h3 class="result-name">
        <Link href={`/thu-tuc/${encodeURIComponent(item.code)}`}>
          <Highlight segments={segments} fallback={name} />
        </Link>
      </h3>
      {other && (
        <p class="result-other" lang={en ? 'vi' : 'en'}>
          {other}
        </p>
      )}
      <div class="badges">
        <OnlineBadge online={item.online} />
        <LevelBadge level={item.level} />
        <span class="badge badge-field">{field}</span>
      </div>
      <dl class="facts">
        <div>
          <dt>{t.labelTime}</dt>
          <dd>{formatDays(item.processing_days, t)}</dd>
        </div>
        <div>
          <dt>{t.labelFee}</dt>
          <dd>{formatFee(item.fee_vnd, t)}</dd>
        </div>
      </dl>
    </li>
  );
}
