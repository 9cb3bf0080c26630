/**
 * Subscribers to what a pipeline has just committed (derived jobs such as root-cause analysis).
 * A subscriber runs in commit order on the writer's turn, so it must be quick and must not throw;
 * one that fails is logged by the caller and the others still run.
 */
export class CommitHooks<C> {
  readonly #subscribers: Array<(committed: C) => void> = [];

  subscribe(fn: (committed: C) => void): () => void {
    this.#subscribers.push(fn);
    return () => {
      const i = this.#subscribers.indexOf(fn);
      if (i >= 0) this.#subscribers.splice(i, 1);
    };
  }

  /** Calls every subscriber; returns the errors thrown (subscribers are not allowed to stop each other). */
  emit(committed: C): Error[] {
    const errors: Error[] = [];
    for (const fn of this.#subscribers) {
      try {
        fn(committed);
      } catch (err) {
        errors.push(err as Error);
      }
    }
    return errors;
  }
}
