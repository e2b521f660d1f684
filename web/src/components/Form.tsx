// Form building blocks: a labelled field with its hint and error, form-level alerts and notices,
// and the text of an API problem in the current language.
import type { ComponentChildren, Ref, TargetedEvent } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, NetworkError } from '../lib/api';
import type { Dict, Lang } from '../i18n';

/** The server's message for a problem, in the current language (detail, else title). */
export function problemText(error: unknown, lang: Lang, t: Dict): string {
  if (error instanceof ApiError) {
    const p = error.problem;
    const detail = lang === 'vi' ? (p.detail_vi ?? p.detail) : (p.detail ?? p.detail_vi);
    const title = lang === 'vi' ? (p.title_vi ?? p.title) : (p.title ?? p.title_vi);
    return detail ?? title ?? t.errorTitle;
  }
  if (error instanceof NetworkError || error instanceof Error) return t.networkError;
  return t.errorTitle;
}

/** Keys of the dictionary whose value is a plain string. */
export type TextKey = { [K in keyof Dict]: Dict[K] extends string ? K : never }[keyof Dict];

/**
 * A message kept in state: a dictionary key, or an API problem. Rendered at display time so that
 * switching the language also switches messages already on screen.
 */
export type Msg = TextKey | { problem: unknown };

export function msgText(m: Msg, lang: Lang, t: Dict): string {
  return typeof m === 'string' ? (t[m] as string) : problemText(m.problem, lang, t);
}

/** The field an API problem is about ("" when none). */
export function problemField(error: unknown): string {
  return error instanceof ApiError ? (error.problem.field ?? '') : '';
}

/** The input attributes the forms use. */
interface InputProps {
  type?: 'text' | 'password';
  name?: string;
  value: string;
  onInput: (e: TargetedEvent<HTMLInputElement, Event>) => void;
  autocomplete?: string;
  autocapitalize?: 'none' | 'off' | 'sentences' | 'words' | 'characters';
  spellcheck?: boolean;
  maxLength?: number;
  inputMode?: 'numeric' | 'text';
  pattern?: string;
  class?: string;
}

/** Label, then hint and error (read by screen readers with the input), then the input. */
export function TextField({
  id,
  label,
  hint,
  error,
  inputRef,
  describedBy,
  type = 'text',
  ...input
}: InputProps & {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  /** The id of more text about the field, elsewhere on the page, read after the hint. */
  describedBy?: string;
}) {
  const described = [hint ? `${id}-hint` : '', describedBy ?? '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {type === 'password' ? (
        <input type="password" id={id} ref={inputRef} aria-invalid={error ? 'true' : undefined} aria-describedby={described || undefined} {...input} />
      ) : (
        <input type="text" id={id} ref={inputRef} aria-invalid={error ? 'true' : undefined} aria-describedby={described || undefined} {...input} />
      )}
    </div>
  );
}

interface SelectProps {
  value: string;
  onChange: (e: TargetedEvent<HTMLSelectElement, Event>) => void;
}

/** Label, hint and error, then a select; like TextField. */
export function SelectField({
  id,
  label,
  hint,
  error,
  children,
  ...select
}: SelectProps & {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <select id={id} aria-invalid={error ? 'true' : undefined} aria-describedby={described || undefined} {...select}>
        {children}
      </select>
    </div>
  );
}

/** A form-level error, announced when it appears. */
export function FormAlert({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="error" role="alert">
      <p class="error-title">{title}</p>
      {children}
    </div>
  );
}

/** A confirmation (green), announced politely. */
export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice-ok" role="status">
      {children}
    </div>
  );
}

/**
 * Moves focus to the first field marked invalid inside `form` whenever `version` changes (after a
 * failed submit), so keyboard and screen reader users land on what needs fixing.
 */
export function useFocusFirstInvalid(version: number) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (version === 0) return;
    const bad = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    bad?.focus();
  }, [version]);
  return form;
}
