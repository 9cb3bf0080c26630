-- rows-filter-annotation-present (clickhouse; generated: npm run golden)
-- filter: annotation.tier
-- params: [1767225600,1767233100,"\"tier\":","tier","tier","tier",1767229200,1767229500,1001]
WITH
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
          start_time >= {p0:Int64}
          AND start_time < {p1:Int64}
          AND coalesce(
            (
              (position(annotations, {p2:String}) > 0)
              AND (
                JSONType(annotations, {p3:String}) IN ('String', 'Int64', 'UInt64', 'Double')
                OR (
                  JSONType(annotations, {p4:String}) = 'Bool'
                  AND JSONExtractBool(annotations, {p5:String})
                )
              )
            ),
            false
          )
      ) AS c0
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
              trace_time >= {p6:Int64}
              AND trace_time < {p7:Int64}
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
      ) AS r
  ),
  matches AS (
    SELECT
      *
    FROM
      t
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
  {p8:Int64}
SETTINGS
  join_use_nulls = 1
