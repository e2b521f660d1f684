// Shown for an unknown client-side route.
import { useI18n } from '../i18n';
import { Link } from '../lib/router';
import { useTitle } from '../lib/title';

export function NotFound() {
  const { t } = useI18n();
  useTitle(t.notFoundTitle);
  return (
    <section class="notfound">
      <h1>{t.notFoundTitle}</h1>
      <p>{t.notFoundText}</p>
      <p>
        <Link class="btn btn-primary" href="/">
          {t.goHome}
        </Link>
      </p>
    </section>
  );
}
