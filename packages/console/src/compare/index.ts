/** What the trace page uses of the compare modes (one import there). */
export { CompareBar } from './compare-bar';
export { useTypical } from './use-typical';
