import { createContext, useContext } from 'react';
import type { AboutResponse } from '@fluoro/contracts';

/** What this Fluoro is and where it listens (`GET /api/v1/about`); null until known. */
export const AboutContext = createContext<AboutResponse | null>(null);
export const useAbout = () => useContext(AboutContext);

export type Theme = 'dark' | 'light';
export const ThemeContext = createContext<Theme>('dark');
export const useTheme = () => useContext(ThemeContext);
