import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w packages/console` serves the console with hot reload and sends API calls to the
// Fluoro at FLUORO_URL (default http://127.0.0.1:2000). The build goes to dist/, which Fluoro
// serves at / (packages/server/src/console/static.ts): history-API routes, hashed files in assets/.
const target = process.env.FLUORO_URL ?? 'http://127.0.0.1:2000';
const API_PATHS = [
  '/api',
  '/ServiceGraph',
  '/TraceSummaries',
  '/Traces',
  '/TraceGraph',
  '/TimeSeriesServiceStatistics',
  '/GetSamplingRules',
  '/CreateSamplingRule',
  '/UpdateSamplingRule',
  '/DeleteSamplingRule',
  '/SamplingStatisticSummaries',
];

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // elkjs is one large module; it is loaded only with the map.
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: Object.fromEntries(API_PATHS.map((p) => [p, { target }])) },
});
