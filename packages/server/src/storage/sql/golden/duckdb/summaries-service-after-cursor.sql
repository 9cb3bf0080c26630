-- summaries-service-after-cursor (duckdb; generated: npm run golden)
-- params: [1767229200,1767229500,1767229300,1767229300,"6955c71a000000000000000000f17001",1001]
WITH
  matches AS (
    SELECT
      trace_id,
      max(end_time) AS matched,
      max(trace_time) AS trace_time
    FROM
      spans
    WHERE
      is_segment
      AND end_time >= $1
      AND end_time < $2
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
  AND (
    matched < $3
    OR (
      matched = $4
      AND trace_id < $5
    )
  )
ORDER BY
  matched DESC,
  trace_id DESC
LIMIT
  $6
