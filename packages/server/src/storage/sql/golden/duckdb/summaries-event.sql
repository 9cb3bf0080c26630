-- summaries-event (duckdb; generated: npm run golden)
-- params: [1767229200,1767229500,1767229200,1001]
WITH
  matches AS (
    SELECT
      trace_id,
      max(greatest(start_time, $1)) AS matched,
      max(trace_time) AS trace_time
    FROM
      spans
    WHERE
      start_time < $2
      AND coalesce(end_time, start_time) >= $3
    GROUP BY
      trace_id
  )
SELECT
  trace_id,
  matched,
  trace_time
FROM
  matches
WHERE
  true
ORDER BY
  matched DESC,
  trace_id DESC
LIMIT
  $4
