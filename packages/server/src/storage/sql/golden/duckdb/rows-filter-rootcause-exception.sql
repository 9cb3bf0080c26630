-- rows-filter-rootcause-exception (duckdb; generated: npm run golden)
-- filter: rootcause.error.exception { message CONTAINS "timeout" OR index = 0 }
-- params: [1767229200,1767229500,1767225600,1767233100,"error","timeout",0,1001]
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
      (
        trace_id IN (
          SELECT
            rc.trace_id
          FROM
            root_causes AS rc,
            json_each (rc.doc, '$.Services') AS sv,
            json_each (sv.value, '$.EntityPath') AS en,
            json_each (en.value, '$.Exceptions') AS ex
          WHERE
            trace_time >= $3
            AND trace_time < $4
            AND category = $5
            AND (
              coalesce(contains((ex.value ->> '$.Message'), $6), false)
              OR coalesce((CAST(ex.key AS INTEGER) = $7), false)
            )
        )
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
  $8
