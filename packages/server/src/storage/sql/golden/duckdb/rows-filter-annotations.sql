-- rows-filter-annotations (duckdb; generated: npm run golden)
-- filter: annotation.tier = "gold" AND annotation.items >= 2 AND annotation[vip] = true
-- params: [1767225600,1767233100,"\"tier\":","/tier","/tier","gold",1767225600,1767233100,"\"items\":","/items","/items",2,1767225600,1767233100,"\"vip\":","/vip","/vip",true,1767229200,1767229500,1001]
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
          start_time >= $1
          AND start_time < $2
          AND coalesce(
            (
              contains(annotations, $3)
              AND json_type(annotations, $4) = 'VARCHAR'
              AND ((annotations ->> $5) = $6)
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
          start_time >= $7
          AND start_time < $8
          AND coalesce(
            (
              contains(annotations, $9)
              AND json_type(annotations, $10) IN ('UBIGINT', 'BIGINT', 'DOUBLE')
              AND (CAST(annotations ->> $11 AS DOUBLE) >= $12)
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
          start_time >= $13
          AND start_time < $14
          AND coalesce(
            (
              contains(annotations, $15)
              AND json_type(annotations, $16) = 'BOOLEAN'
              AND (CAST(annotations ->> $17 AS BOOLEAN) = $18)
            ),
            false
          )
      ) AS c2
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
              trace_time >= $19
              AND trace_time < $20
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
  $21
