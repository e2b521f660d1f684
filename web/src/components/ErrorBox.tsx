// Shows an API problem (in the current language) or a network error with a retry button.
import { ApiError, NetworkError } from '../lib/api';
import { useI18n } from '../i18n';

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { lang, t } = useI18n();
  let title = t.errorTitle;
  let detail: string | undefined;
  let retryable = true;
  if (error instanceof ApiError) {
    const p = error.problem;
    title = (lang === 'vi' ? p.title_vi : p.title) ?? p.title ?? t.errorTitle;
    detail = (lang === 'vi' ? p.detail_vi : p.detail) ?? p.detail;
    retryable = error.status >= 500;
  } else if (error instanceof NetworkError || error instanceof Error) {
    detail = t.networkError;
  }
  return (
    <div class="error" role="alert">
      <p class="error-title">{title}</p>
      {detail && <p>{detail}</p>}
      {retryable && onRetry && (
        <button type="button" class="btn" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}
