/**
 * The map shows only traces that have settled. A trace's segments arrive over its lifetime, each
 * service sending its own when it is done: while a request is in flight the caller's subsegment
 * for a call can be stored before the callee's segment (the callee shows up as an inferred
 * `Remote API` node), or the callee's before the caller's (the callee looks like a root, called
 * by a `client`). Such nodes came and went between refreshes. The server's graph rollups wait
 * for the same reason (`SETTLE_SECONDS` in packages/server/src/storage/duckdb/rollups.ts).
 */

/** Seconds after which a minute's traces count as settled; as the server's rollups wait. */
export const SETTLE_SECONDS = 30;

export interface SettledWindow {
  start: number;
  end: number;
  /** Seconds of the requested window left out at its end (0 when nothing is held back). */
  heldBack: number;
}

/**
 * The window the map asks for: it ends at the last whole minute that ended `settle` seconds ago
 * or more (the graph is answered in whole minutes anyway), so the newest 30 to 90 seconds are
 * left out. A relative range keeps its length and moves back with its end; a custom range only
 * loses what is not settled yet, and is empty (`start === end`) when nothing of it is.
 */
export function settledWindow(
  window: { start: number; end: number },
  relative: boolean,
  nowSeconds: number,
  settle = SETTLE_SECONDS,
): SettledWindow {
  const edge = Math.floor((nowSeconds - settle) / 60) * 60;
  if (relative) {
    const length = window.end - window.start;
    return { start: edge - length, end: edge, heldBack: Math.max(0, window.end - edge) };
  }
  if (window.end <= edge) return { ...window, heldBack: 0 };
  const end = Math.max(window.start, edge);
  return { start: window.start, end, heldBack: window.end - end };
}
