// Document title and focus handling on client-side page changes.
import { useEffect } from 'preact/hooks';

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} — Một cửa`;
  }, [title]);
}
