import { useMemo } from 'react';
import { getSuggestions } from '../api/fluoro';
import type { CompletionData } from '../filter/completions';
import { useApi } from './use-api';

/** Service names, annotation keys and users of a window, for autocomplete and group-by. */
export function useSuggestions(
  window: { start: number; end: number },
  enabled = true,
): { data: CompletionData | undefined; error: Error | null } {
  // Suggestions change slowly: ask again only when the window moves by a minute or more.
  const start = Math.floor(window.start / 60) * 60;
  const end = Math.ceil(window.end / 60) * 60;
  const s = useApi((signal) => (enabled ? getSuggestions({ start, end: Math.max(end, start + 60) }, signal) : null), [start, end, enabled]);
  const data = useMemo(
    () => s.data && { services: s.data.services ?? [], annotationKeys: s.data.annotationKeys ?? [], users: s.data.users ?? [] },
    [s.data],
  );
  return { data, error: s.error };
}
