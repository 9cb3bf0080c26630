/**
 * The threads the DuckDB binding runs statements on are libuv's pool, 4 by default: four slow reads
 * would hold them all and every commit would wait behind them. The CLI imports this module first,
 * before anything uses the pool, to size it for reads (`storage.duckdb.readConnections`, at most
 * that many at once), the three write connections, and file and DNS work. An operator's own
 * `UV_THREADPOOL_SIZE` wins.
 */
export const THREADPOOL_SIZE = 16;

process.env['UV_THREADPOOL_SIZE'] ??= String(THREADPOOL_SIZE);
