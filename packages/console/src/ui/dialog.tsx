import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal dialog (the platform's `<dialog>`): open while mounted, focus kept inside, Escape
 * closes. Focus starts on the element marked `data-autofocus` (else the first control) and goes
 * back to what had it before, when that is still on the page.
 */
export function Dialog({
  title,
  onClose,
  children,
  testId,
  wide = false,
}: {
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const d = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let mounted = true;
    if (!d.open) d.showModal();
    d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    // The browser may close it on its own (a second Escape); the page's state follows.
    const closed = () => mounted && closeRef.current();
    d.addEventListener('close', closed);
    return () => {
      mounted = false;
      d.removeEventListener('close', closed);
      if (d.open) d.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog wide' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
