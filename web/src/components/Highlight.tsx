// Renders highlight segments from the search API; matched parts in <mark>. Never uses innerHTML.
import type { Segment } from '../lib/api';

export function Highlight({ segments, fallback }: { segments?: Segment[] | undefined; fallback: string }) {
  if (!segments || segments.length === 0) return <>{fallback}</>;
  return (
    <>
      {segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}
