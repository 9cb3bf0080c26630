/** Where two traces are compared: `/traces/<a>/compare/<b>` (A is the trace the compare started from). */
export function comparePath(a: string, b: string): string {
  return `/traces/${encodeURIComponent(a)}/compare/${encodeURIComponent(b)}`;
}
