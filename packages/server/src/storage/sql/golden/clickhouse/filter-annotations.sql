-- filter-annotations (clickhouse; generated: npm run golden)
-- filter: annotation.tier = "gold" AND annotation.items >= 2 AND annotation[vip] = true
-- params: [1767229200,1767229500,1767225600,1767233100,"\"tier\":","tier","tier","gold",1767225600,1767233100,"\"items\":","items","items",2,1767225600,1767233100,"\"tier\":","tier","tier","gold","\"items\":","items","items",2,"\"vip\":","vip","vip",true,1001]
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
              (position(annotations, {p4:String}) > 0)
              AND JSONType(annotations, {p5:String}) = 'String'
              AND (
                JSONExtractString(annotations, {p6:String}) = {p7:String}
              )
            )
        )
        AND trace_id IN (
          SELECT
            trace_id
          FROM
            spans
          WHERE
            start_time >= {p8:Int64}
            AND start_time < {p9:Int64}
            AND (
              (position(annotations, {p10:String}) > 0)
              AND JSONType(annotations, {p11:String}) IN ('Int64', 'UInt64', 'Double')
              AND (
                JSONExtractFloat(annotations, {p12:String}) >= {p13:Int64}
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
      start_time >= {p14:Int64}
      AND start_time < {p15:Int64}
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
              (position(annotations, {p16:String}) > 0)
              AND JSONType(annotations, {p17:String}) = 'String'
              AND (
                JSONExtractString(annotations, {p18:String}) = {p19:String}
              )
            ),
            false
          )
        ),
        false
      ) AS c0,
      coalesce(
        max(
          coalesce(
            (
              (position(annotations, {p20:String}) > 0)
              AND JSONType(annotations, {p21:String}) IN ('Int64', 'UInt64', 'Double')
              AND (
                JSONExtractFloat(annotations, {p22:String}) >= {p23:Int64}
              )
            ),
            false
          )
        ),
        false
      ) AS c1,
      coalesce(
        max(
          coalesce(
            (
              (position(annotations, {p24:String}) > 0)
              AND JSONType(annotations, {p25:String}) = 'Bool'
              AND (
                JSONExtractBool(annotations, {p26:String}) = {p27:Bool}
              )
            ),
            false
          )
        ),
        false
      ) AS c2,
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
        (
          c0
          AND c1
        )
        AND c2
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
  {p28:Int64}
