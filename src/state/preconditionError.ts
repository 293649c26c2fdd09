// A refused action's message that names a precondition ("Load a recording
// first…") must go as soon as the precondition holds, not stay until the next
// click. The store shows the message as any error; this remembers the check
// behind it, and recheck() (called when what the check reads changes) clears
// the message once the check passes, if it is still the message shown.

export interface PreconditionError {
  /** shows `message` until a recheck finds `holds()` true */
  refuse(message: string, holds: () => boolean): void;
  /** clears the refusal when its precondition holds now; cheap when there is none */
  recheck(): void;
}

export function preconditionError(
  getError: () => string | null,
  setError: (message: string | null) => void,
): PreconditionError {
  let pending: { message: string; holds: () => boolean } | null = null;
  return {
    refuse(message, holds) {
      pending = { message, holds };
      setError(message);
    },
    recheck() {
      if (!pending) return;
      // another message replaced it (or it was dismissed): not ours to clear
      if (getError() !== pending.message) {
        pending = null;
        return;
      }
      if (!pending.holds()) return;
      pending = null;
      setError(null);
    },
  };
}
