-- summaries-processed (duckdb; generated: npm run golden)
-- params: [1767229200,1767229500]
SELECT
  count(DISTINCT trace_id)::INTEGER AS n
FROM
  spans
WHERE
  trace_time >= $1
  AND trace_time < $2
