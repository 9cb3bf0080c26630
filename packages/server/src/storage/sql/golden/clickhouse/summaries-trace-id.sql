-- summaries-trace-id (clickhouse; generated: npm run golden)
-- params: [1767229200,1767229500,1001]
WITH
  matches AS (
    SELECT
      trace_id,
      min(start_time) AS matched,
      max(trace_time) AS trace_time
    FROM
      spans
    WHERE
      trace_time >= {p0:Int64}
      AND trace_time < {p1:Int64}
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
  {p2:Int64}
