/**
 * Arrow keys across a drawing (the map's nodes and edges): from the focused element, the nearest
 * one whose centre lies that way, nearness counting sideways distance double, so → follows a row
 * and ↓ a column instead of jumping diagonally to whatever is closest.
 */
export type Direction = 'left' | 'right' | 'up' | 'down';

export const ARROW_DIRECTIONS: Readonly<Record<string, Direction>> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The index of the nearest box from `from` in `direction`, or -1 when none lies that way. */
export function nearestInDirection(from: Box, boxes: readonly Box[], direction: Direction): number {
  const cx = from.x + from.width / 2;
  const cy = from.y + from.height / 2;
  let best = -1;
  let bestCost = Infinity;
  boxes.forEach((b, i) => {
    const dx = b.x + b.width / 2 - cx;
    const dy = b.y + b.height / 2 - cy;
    const along = direction === 'right' ? dx : direction === 'left' ? -dx : direction === 'down' ? dy : -dy;
    const across = direction === 'left' || direction === 'right' ? Math.abs(dy) : Math.abs(dx);
    // Ahead, not merely beside (a box straight above is not "to the right" of one).
    if (along <= 1 || across > along * 2) return;
    const cost = along + 2 * across;
    if (cost < bestCost) {
      bestCost = cost;
      best = i;
    }
  });
  return best;
}

/**
 * Moves the focus from the element of `selector` holding it to the nearest such element inside
 * `container` that lies the arrow's way. Returns whether the key was one it handles (an arrow
 * from such an element), so the caller can keep others (React Flow moves a selected node) from it.
 */
export function moveFocusByArrow(key: string, target: EventTarget | null, container: HTMLElement, selector: string): boolean {
  const direction = ARROW_DIRECTIONS[key];
  const from = direction && target instanceof Element ? target.closest(selector) : null;
  if (!direction || !from || !container.contains(from)) return false;
  const others = [...container.querySelectorAll<HTMLElement | SVGElement>(selector)].filter((el) => el !== from);
  const next = nearestInDirection(
    from.getBoundingClientRect(),
    others.map((el) => el.getBoundingClientRect()),
    direction,
  );
  if (next >= 0) others[next]!.focus();
  return true;
}

/**
 * Tab and Shift+Tab leave a group with one Tab stop (the element of `container` with tabindex 0)
 * from that stop, wherever the arrows took the focus inside it: called on keydown, it moves the
 * focus to the stop, and the browser's Tab then goes on from there.
 */
export function tabFromStop(key: string, container: HTMLElement, selector: string): void {
  const at = document.activeElement;
  if (key !== 'Tab' || !at || !container.contains(at) || !at.matches(selector)) return;
  const stop = container.querySelector<HTMLElement | SVGElement>(`:is(${selector})[tabindex="0"]`);
  if (stop && stop !== at) stop.focus({ preventScroll: true });
}

/** The first of `ids` in reading order of their positions: leftmost, then topmost. */
export function firstByPosition(ids: readonly string[], at: Readonly<Record<string, { x: number; y: number }>>): string | null {
  let first: string | null = null;
  for (const id of ids) {
    const p = at[id];
    if (!p) continue;
    const q = first === null ? null : at[first]!;
    if (q === null || p.x < q.x || (p.x === q.x && p.y < q.y)) first = id;
  }
  return first;
}
