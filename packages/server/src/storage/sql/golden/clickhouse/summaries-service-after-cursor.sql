-- summaries-service-after-cursor (clickhouse; generated: npm run golden)
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
      AND end_time >= {p0:Int64}
      AND end_time < {p1:Int64}
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
    matched < {p2:Int64}
    OR (
      matched = {p3:Int64}
      AND trace_id < {p4:String}
    )
  )
ORDER BY
  matched DESC,
  trace_id DESC
LIMIT
  {p5:Int64}
