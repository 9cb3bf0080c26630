-- filter-root-facts (clickhouse; generated: npm run golden)
-- filter: responsetime > 1 AND http.status = 500
-- params: [1767229200,1767229500,1767225600,1767233100,1,1767225600,1767233100,500,1767225600,1767233100,1,500,1001]
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
      AND (
        trace_id IN (
          SELECT
            trace_id
          FROM
            spans
          WHERE
            start_time >= {p2:Int64}
            AND start_time < {p3:Int64}
            AND (
              is_segment
              AND coalesce(((end_time - start_time) > {p4:Int64}), false)
            )
        )
        AND trace_id IN (
          SELECT
            trace_id
          FROM
            spans
          WHERE
            start_time >= {p5:Int64}
            AND start_time < {p6:Int64}
            AND (
              is_segment
              AND coalesce((http_status = {p7:Int64}), false)
            )
        )
      )
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
      end_time,
      http_status
    FROM
      spans
    WHERE
      start_time >= {p8:Int64}
      AND start_time < {p9:Int64}
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          cand
      )
  ),
  s AS (
    SELECT
      s0.*,
      (
        s0.is_segment
        AND p.id IS NULL
      ) AS is_root
    FROM
      s0
      LEFT JOIN (
        SELECT
          trace_id,
          id
        FROM
          s0
      ) AS p ON p.trace_id = s0.trace_id
      AND p.id = s0.parent_id
  ),
  facts AS (
    SELECT
      trace_id,
      argMinIf (
        tuple((end_time - start_time)),
        start_time,
        is_root
      ) .1 AS root_rt,
      argMinIf (tuple(http_status), start_time, is_root) .1 AS root_status,
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
      (
        coalesce((root_rt > {p10:Int64}), false)
        AND coalesce((root_status = {p11:Int64}), false)
      )
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
  {p12:Int64}
SETTINGS
  join_use_nulls = 1
