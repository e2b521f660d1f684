// Procedure detail page: /thu-tuc/{code}
import { ApiError, getProcedure, type ProcedureDetail } from '../lib/api';
import { useI18n } from '../i18n';
import { useApi } from '../lib/useApi';
import { useTitle } from '../lib/title';
import { Link } from '../lib/router';
import { lastSearch } from '../lib/lastSearch';
import { formatDate, formatDays, formatFee } from '../lib/format';
import { ErrorBox } from '../components/ErrorBox';
import { LevelBadge, OnlineBadge } from '../components/Badges';

function BackLink() {
  const { t } = useI18n();
  return (
    <p class="back">
      <Link href={lastSearch()}>{t.backToSearch}</Link>
    </p>
  );
}

/** First http(s) URL in a free-text source note. */
function firstUrl(source: string): string | null {
  const m = /https?:\/\/[^\s()<>"]+/.exec(source);
  return m ? m[0].replace(/[.,;]+$/, '') : null;
}

export function ProcedurePage({ code }: { code: string }) {
  const { t } = useI18n();
  const [state, retry] = useApi((signal) => getProcedure(code, signal), [code]);

  if (state.status === 'loading') {
    return (
      <>
        <BackLink />
        <p role="status">{t.loading}</p>
      </>
    );
  }
  if (state.status === 'error') {
    if (state.error instanceof ApiError && state.error.status === 404) return <ProcedureNotFound code={code} />;
    return (
      <>
        <BackLink />
        <h1>{t.errorTitle}</h1>
        <ErrorBox error={state.error} onRetry={retry} />
      </>
    );
  }
  return <Detail p={state.data} />;
}

function ProcedureNotFound({ code }: { code: string }) {
  const { t } = useI18n();
  useTitle(t.procNotFoundTitle);
  return (
    <section class="notfound">
      <h1>{t.procNotFoundTitle}</h1>
      <p>{t.procNotFoundText(code)}</p>
      <p>
        <Link class="btn btn-primary" href="/">
          {t.goHome}
        </Link>
      </p>
    </section>
  );
}

function Detail({ p }: { p: ProcedureDetail }) {
  const { lang, t } = useI18n();
  const en = lang === 'en' && !!p.name_en;
  const name = en ? (p.name_en as string) : p.name_vi;
  const other = en ? p.name_vi : p.name_en;
  useTitle(name);
  const field = lang === 'en' && p.field_en ? p.field_en : p.field;
  const docs = p.documents ?? [];
  const history = p.rule_history ?? [];
  const url = p.source ? firstUrl(p.source) : null;

  return (
    <article class="procedure">
      <BackLink />
      <header class="proc-head">
        <h1>{name}</h1>
        {other && (
          <p class="proc-other">
            <span class="visually-hidden">{t.otherLangName}: </span>
            <span lang={en ? 'vi' : 'en'}>{other}</span>
          </p>
        )}
        <div class="badges">
          <OnlineBadge online={p.online} />
          <LevelBadge level={p.level} />
        </div>
      </header>

      <dl class="proc-facts">
        <div>
          <dt>{t.labelCode}</dt>
          <dd>{p.has_national_code ? <span class="code">{p.code}</span> : t.noNationalCode}</dd>
        </div>
        <div>
          <dt>{t.labelField}</dt>
          <dd>{field}</dd>
        </div>
        <div>
          <dt>{t.labelLevel}</dt>
          <dd>{t.level[p.level] ?? p.level}</dd>
        </div>
        {p.agency && (
          <div>
            <dt>{t.labelAgency}</dt>
            <dd lang="vi">{p.agency}</dd>
          </div>
        )}
        <div>
          <dt>{t.labelTime}</dt>
          <dd class="strong">{formatDays(p.processing_days, t)}</dd>
        </div>
        <div>
          <dt>{t.labelFee}</dt>
          <dd class="strong">{formatFee(p.fee_vnd, t)}</dd>
        </div>
        <div>
          <dt>{t.labelOnline}</dt>
          <dd>
            <strong>{t.online[p.online] ?? p.online}.</strong> {t.onlineExplain[p.online]}
          </dd>
        </div>
      </dl>
      {p.rules_effective_from && <p class="muted">{t.rulesFrom(formatDate(p.rules_effective_from))}</p>}
      {t.viOnlyNote && <p class="muted">{t.viOnlyNote}</p>}

      <section aria-labelledby="docs-title">
        <h2 id="docs-title">{t.documentsTitle}</h2>
        {docs.length > 0 ? (
          <ol class="documents" lang="vi">
            {docs.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ol>
        ) : (
          <p>{t.noDocuments}</p>
        )}
      </section>

      {p.notes && (
        <section aria-labelledby="notes-title">
          <h2 id="notes-title">{t.notesTitle}</h2>
          <p class="notes" lang="vi">
            {p.notes}
          </p>
        </section>
      )}

      {history.length > 1 && (
        <section aria-labelledby="history-title">
          <h2 id="history-title">{t.historyTitle}</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.historyFrom}</th>
                  <th scope="col">{t.labelTime}</th>
                  <th scope="col">{t.labelFee}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.effective_from}>
                    <td>{formatDate(h.effective_from)}</td>
                    <td>{formatDays(h.processing_days, t)}</td>
                    <td>{formatFee(h.fee_vnd, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {p.source && (
        <section aria-labelledby="source-title">
          <h2 id="source-title">{t.sourceTitle}</h2>
          {url ? (
            <p>
              <a href={url} rel="noopener noreferrer" target="_blank">
                {url.includes('dichvucong.gov.vn') ? t.sourceLink : t.sourceOther}
              </a>
            </p>
          ) : (
            <p class="muted">{p.source}</p>
          )}
        </section>
      )}
    </article>
  );
}
