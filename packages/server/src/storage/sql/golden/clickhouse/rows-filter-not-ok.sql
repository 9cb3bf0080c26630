-- rows-filter-not-ok (clickhouse; generated: npm run golden)
-- filter: !ok
-- params: [1767229200,1767229500,1001]
WITH
  t AS (
    SELECT
      trace_id,
      first_start AS matched,
      trace_time,
      root_ok,
      last_end - first_start AS trace_duration
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
              t0.*,
              (
                t0.is_segment
                AND p.id IS NULL
              ) AS is_root
            FROM
              t0
              LEFT JOIN (
                SELECT
                  trace_id,
                  id
                FROM
                  t0
              ) AS p ON p.trace_id = t0.trace_id
              AND p.id = t0.parent_id
          )
        SELECT
          trace_id,
          max(trace_time) AS trace_time,
          min(start_time) AS first_start,
          max(coalesce(end_time, start_time)) AS last_end,
          argMinIf (
            tuple(
              (
                NOT error
                AND NOT fault
                AND NOT throttle
              )
            ),
            start_time,
            is_root
          ) .1 AS root_ok
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
      (NOT coalesce(root_ok, false))
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
SETTINGS
  join_use_nulls = 1
