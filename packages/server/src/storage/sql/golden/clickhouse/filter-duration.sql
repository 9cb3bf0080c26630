-- filter-duration (clickhouse; generated: npm run golden)
-- filter: duration > 1.5
-- params: [1767229200,1767229500,1767225600,1767233100,1.5,1001]
WITH
  cand AS (
    SELECT
      trace_id,
      min(start_time) AS matched,
      max(trace_time) AS trace_time
    FROM
      spans
    WHERE
      trace_time >= {p0:Int64}
      AND trace_time < {p1:Int64}
      AND true
    GROUP BY
      trace_id
  ),
  s0 AS (
    SELECT
      trace_id,
      id,
      parent_id,
      is_segment,
      start_time,
      end_time
    FROM
      spans
    WHERE
      start_time >= {p2:Int64}
      AND start_time < {p3:Int64}
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          cand
      )
  ),
  s AS (
    SELECT
      *
    FROM
      s0
  ),
  facts AS (
    SELECT
      trace_id,
      max(coalesce(end_time, start_time)) - min(start_time) AS trace_duration
    FROM
      s
    GROUP BY
      trace_id
  ),
  matches AS (
    SELECT
      trace_id,
      matched,
      trace_time
    FROM
      facts
      JOIN cand USING (trace_id)
    WHERE
      coalesce((trace_duration > {p4:Float64}), false)
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
  {p5:Int64}
