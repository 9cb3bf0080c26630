-- rows-filter-annotations (clickhouse; generated: npm run golden)
-- filter: annotation.tier = "gold" AND annotation.items >= 2 AND annotation[vip] = true
-- params: [1767229200,1767229500,1767225600,1767233100,"\"tier\":","tier","tier","gold",1767225600,1767233100,"\"items\":","items","items",2,1767225600,1767233100,"\"vip\":","vip","vip",true,1001]
WITH
  r AS (
    SELECT
      *
    FROM
      (
        WITH
          t0 AS (
            SELECT
              trace_id,
              id,
              parent_id,
              is_segment,
              start_time,
              end_time,
              trace_time,
              error,
              fault,
              throttle,
              http_status,
              http_url,
              http_method,
              http_user_agent,
              http_client_ip
            FROM
              spans
            WHERE
              trace_time >= {p0:Int64}
              AND trace_time < {p1:Int64}
          ),
          t1 AS (
            SELECT
              *
            FROM
              t0
          )
        SELECT
          trace_id,
          max(trace_time) AS trace_time,
          min(start_time) AS first_start,
          max(coalesce(end_time, start_time)) AS last_end
        FROM
          t1
        GROUP BY
          trace_id
      ) AS r0
  ),
  t AS (
    SELECT
      trace_id,
      first_start AS matched,
      trace_time,
      last_end - first_start AS trace_duration,
      trace_id IN (
        SELECT
          trace_id
        FROM
          spans
        WHERE
          start_time >= {p2:Int64}
          AND start_time < {p3:Int64}
          AND coalesce(
            (
              (position(annotations, {p4:String}) > 0)
              AND JSONType(annotations, {p5:String}) = 'String'
              AND (
                JSONExtractString(annotations, {p6:String}) = {p7:String}
              )
            ),
            false
          )
      ) AS c0,
      trace_id IN (
        SELECT
          trace_id
        FROM
          spans
        WHERE
          start_time >= {p8:Int64}
          AND start_time < {p9:Int64}
          AND coalesce(
            (
              (position(annotations, {p10:String}) > 0)
              AND JSONType(annotations, {p11:String}) IN ('Int64', 'UInt64', 'Double')
              AND (
                JSONExtractFloat(annotations, {p12:String}) >= {p13:Int64}
              )
            ),
            false
          )
      ) AS c1,
      trace_id IN (
        SELECT
          trace_id
        FROM
          spans
        WHERE
          start_time >= {p14:Int64}
          AND start_time < {p15:Int64}
          AND coalesce(
            (
              (position(annotations, {p16:String}) > 0)
              AND JSONType(annotations, {p17:String}) = 'Bool'
              AND (
                JSONExtractBool(annotations, {p18:String}) = {p19:Bool}
              )
            ),
            false
          )
      ) AS c2
    FROM
      r
  ),
  matches AS (
    SELECT
      trace_id,
      matched,
      trace_time
    FROM
      t
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
  {p20:Int64}
SETTINGS
  join_use_nulls = 1
