import { runConformance } from '../conformance/index.js';
import { openMemoryStore } from './backend.js';

runConformance({ name: 'memory', durable: false, open: async () => openMemoryStore() });
