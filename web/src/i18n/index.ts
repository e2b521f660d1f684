// Language selection: dictionary lookup, persisted choice, and a context for components.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en';
import { vi, type Dict } from './vi';

export type Lang = 'vi' | 'en';
export type { Dict };

export const dictionaries: Record<Lang, Dict> = { vi, en };

export interface I18n {
  lang: Lang;
  t: Dict;
}

export const I18nContext = createContext<I18n>({ lang: 'vi', t: vi });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
