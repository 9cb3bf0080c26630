import { useEffect, useState } from 'react';

/** Copies `text` and says so on the button for two seconds ("Copied", or why it could not). */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);
  const copy = async () => {
    try {
      // Only in a secure context (https, or this machine); elsewhere the old way may still work.
      if (navigator.clipboard) await navigator.clipboard.writeText(text);
      else if (!copyBySelection(text)) throw new Error('no clipboard');
      setState('copied');
    } catch {
      setState(copyBySelection(text) ? 'copied' : 'failed');
    }
  };
  return (
    <button
      type="button"
      className={`copy-button${state === 'copied' ? ' copied' : ''}`}
      onClick={() => void copy()}
      aria-label={state === 'idle' ? label : undefined}
      title={label}
      data-testid={testId}
    >
      <span aria-live="polite">
        {state === 'copied' ? '✓ Copied' : state === 'failed' ? 'Copy failed: select and press Ctrl+C' : 'Copy'}
      </span>
    </button>
  );
}

function copyBySelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
