// Small labels for a procedure's level and online level.
import { useI18n } from '../i18n';

export function OnlineBadge({ online }: { online: string }) {
  const { t } = useI18n();
  return (
    <span class={`badge badge-${online}`} title={t.onlineExplain[online]}>
      {t.online[online] ?? online}
    </span>
  );
}

export function LevelBadge({ level }: { level: string }) {
  const { t } = useI18n();
  return <span class="badge badge-level">{t.level[level] ?? level}</span>;
}
