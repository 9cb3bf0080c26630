-- rows-filter-trace-id (duckdb; generated: npm run golden)
-- filter: 1-6955c71a-000000000000000000f17001
-- params: [1767229200,1767229500,"6955c71a000000000000000000f17001",1001]
WITH
  t AS (
    SELECT
      trace_id,
      first_start AS matched,
      trace_time,
      last_end - first_start AS trace_duration
    FROM
      (
        WITH
          t0 AS MATERIALIZED (
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
              trace_time >= $1
              AND trace_time < $2
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
      (trace_id = $3)
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
  $4
