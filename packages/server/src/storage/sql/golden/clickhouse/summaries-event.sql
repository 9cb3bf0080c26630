-- summaries-event (clickhouse; generated: npm run golden)
-- params: [1767229200,1767229500,1767229200,1001]
WITH
  matches AS (
    SELECT
      trace_id,
      max(greatest(start_time, {p0:Int64})) AS matched,
      max(trace_time) AS trace_time
    FROM
      spans
    WHERE
      start_time < {p1:Int64}
      AND coalesce(end_time, start_time) >= {p2:Int64}
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
  {p3:Int64}
