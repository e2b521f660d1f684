// Display formatting for money, time limits and dates.
import type { Dict } from '../i18n';

function group(n: number, sep: string): string {
  const s = Math.round(Math.abs(n)).toString();
  const out = s.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return n < 0 ? `-${out}` : out;
}

/** 15000 -> "15.000 đ" (vi) / "15,000 VND" (en); 0 -> free; null -> to be confirmed. */
export function formatFee(fee: number | null | undefined, t: Dict): string {
  if (fee === null || fee === undefined) return t.unknown;
  if (fee === 0) return t.free;
  return `${group(fee, t.numberGroup)} ${t.currency}`;
}

/** Legal time limit in working days. */
export function formatDays(days: number | null | undefined, t: Dict): string {
  if (days === null || days === undefined) return t.unknown;
  if (days === 0) return t.sameDay;
  return t.days(days);
}

/** "2025-07-01" -> "01/07/2025" (the Vietnamese and British order, used in both languages). */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** "2026-12-03T05:45:29Z" -> "12:45, 03/12/2026" in the browser's time zone ("" if unreadable). */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}, ${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()}`;
}
