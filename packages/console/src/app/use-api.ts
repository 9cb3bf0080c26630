import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort } from '../api/client';

export interface ApiState<T> {
  data: T | undefined;
  error: Error | null;
  /** True while a request is in flight (the previous data stays shown meanwhile). */
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` whenever `deps` change (or `reload` is called), cancelling the request it replaces.
 * `load` returning null means "nothing to ask" (data becomes undefined).
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T> | null, deps: readonly unknown[]): ApiState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctrl = new AbortController();
    const p = loadRef.current(ctrl.signal);
    if (!p) {
      setState({ data: undefined, error: null, loading: false });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    p.then(
      (data) => !ctrl.signal.aborted && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        !ctrl.signal.aborted && !isAbort(error) && setState((s) => ({ data: s.data, error: error as Error, loading: false })),
    );
    return () => ctrl.abort();
    // `deps` are the caller's: what the request depends on.
  }, [...deps, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
