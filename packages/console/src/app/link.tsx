import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate, withSticky } from './router';

/**
 * An anchor that navigates inside the console (a real href, so middle-click and copy-link work),
 * keeping the sticky parameters (the time zone) in both.
 */
export function Link({ href: to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const href = withSticky(to);
  const go = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={go} {...rest} />;
}
