-- rows-filter-url-method (duckdb; generated: npm run golden)
-- filter: http.url CONTAINS "/api/" AND http.method = "GET" AND http.useragent BEGINSWITH "curl" OR http.clientip ENDSWITH ".1"
-- params: [1767229200,1767229500,"/api/","GET","curl",".1",1001]
WITH
  t AS (
    SELECT
      trace_id,
      first_start AS matched,
      trace_time,
      root_url,
      root_method,
      root_useragent,
      root_clientip,
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
          arg_min_null(http_url, start_time) FILTER(
            WHERE
              is_root
          ) AS root_url,
          arg_min_null(http_method, start_time) FILTER(
            WHERE
              is_root
          ) AS root_method,
          arg_min_null(http_user_agent, start_time) FILTER(
            WHERE
              is_root
          ) AS root_useragent,
          arg_min_null(http_client_ip, start_time) FILTER(
            WHERE
              is_root
          ) AS root_clientip
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
      (
        (
          (
            coalesce(contains(root_url, $3), false)
            AND coalesce((root_method = $4), false)
          )
          AND coalesce(starts_with(root_useragent, $5), false)
        )
        OR coalesce(ends_with(root_clientip, $6), false)
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
  $7
