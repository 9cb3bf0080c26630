-- filter-annotation-present (clickhouse; generated: npm run golden)
-- filter: annotation.tier
-- params: [1767229200,1767229500,1767225600,1767233100,"\"tier\":","tier","tier","tier",1767225600,1767233100,"\"tier\":","tier","tier","tier",1001]
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
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          spans
        WHERE
          start_time >= {p2:Int64}
          AND start_time < {p3:Int64}
          AND (
            (position(annotations, {p4:String}) > 0)
            AND (
              JSONType(annotations, {p5:String}) IN ('String', 'Int64', 'UInt64', 'Double')
              OR (
                JSONType(annotations, {p6:String}) = 'Bool'
                AND JSONExtractBool(annotations, {p7:String})
              )
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
      annotations
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
      *
    FROM
      s0
  ),
  facts AS (
    SELECT
      trace_id,
      coalesce(
        max(
          coalesce(
            (
              (position(annotations, {p10:String}) > 0)
              AND (
                JSONType(annotations, {p11:String}) IN ('String', 'Int64', 'UInt64', 'Double')
                OR (
                  JSONType(annotations, {p12:String}) = 'Bool'
                  AND JSONExtractBool(annotations, {p13:String})
                )
              )
            ),
            false
          )
        ),
        false
      ) AS c0,
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
      c0
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
  {p14:Int64}
