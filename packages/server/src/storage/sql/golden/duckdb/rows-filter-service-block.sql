-- rows-filter-service-block (duckdb; generated: npm run golden)
-- filter: service("backend.example.com") { fault }
-- params: [1767225600,1767233100,"backend.example.com",1767225600,1767233100,"backend.example.com",1767225600,1767233100,"backend.example.com",1767229200,1767229500,1001]
WITH
  f0 AS MATERIALIZED (
    SELECT
      trace_id
    FROM
      spans
    WHERE
      start_time >= $1
      AND start_time < $2
      AND coalesce(
        (
          (
            is_segment
            AND (service = $3)
          )
          AND coalesce(fault, false)
        ),
        false
      )
  ),
  k AS MATERIALIZED (
    SELECT
      trace_id
    FROM
      spans
    WHERE
      start_time >= $4
      AND start_time < $5
      AND coalesce(
        (
          (
            (
              (
                downstream_name IS NOT NULL
                AND service IS NOT NULL
              )
              AND true
            )
            AND (downstream_name = $6)
          )
          AND coalesce(fault, false)
        ),
        false
      )
      AND trace_id NOT IN (
        SELECT
          trace_id
        FROM
          f0
      )
  ),
  s0 AS MATERIALIZED (
    SELECT
      trace_id,
      id,
      parent_id,
      is_segment,
      start_time,
      end_time,
      service,
      downstream_name,
      fault,
      service_type,
      account_id
    FROM
      spans
    WHERE
      start_time >= $7
      AND start_time < $8
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          k
      )
  ),
  callee AS (
    SELECT
      trace_id,
      parent_id,
      service AS callee_service,
      service_type AS callee_type,
      account_id AS callee_account
    FROM
      s0
    WHERE
      is_segment
      AND parent_id IS NOT NULL
  ),
  s AS (
    SELECT
      s0.*,
      c.callee_service,
      c.callee_type,
      c.callee_account
    FROM
      s0
      LEFT JOIN callee AS c ON c.trace_id = s0.trace_id
      AND c.parent_id = s0.id
  ),
  t AS (
    SELECT
      trace_id,
      first_start AS matched,
      trace_time,
      last_end - first_start AS trace_duration,
      (
        trace_id IN (
          SELECT
            trace_id
          FROM
            f0
        )
        OR trace_id IN (
          SELECT
            trace_id
          FROM
            s
          WHERE
            true
            AND coalesce(
              (
                (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND callee_service IS NULL
                  )
                  AND (downstream_name = $9)
                )
                AND coalesce(fault, false)
              ),
              false
            )
        )
      ) AS c0
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
              trace_time >= $10
              AND trace_time < $11
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
  $12
