-- rows-filter-rootcause-json (duckdb; generated: npm run golden)
-- filter: rootcause.json = #[{"Services": [{"Name": "api.example.com", "Inferred": false}], "ClientImpacting": true}]
-- params: [1767229200,1767229500,1767225600,1767233100,"$","$.\"Services\"",1,"$.\"Services\"[0]","$.\"Services\"[0].\"Name\"","$.\"Services\"[0].\"Name\"","api.example.com","$.\"Services\"[0].\"Inferred\"","$.\"Services\"[0].\"Inferred\"",false,"$.\"ClientImpacting\"","$.\"ClientImpacting\"",true,1001]
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
            trace_id
          FROM
            root_causes
          WHERE
            trace_time >= $3
            AND trace_time < $4
            AND coalesce(json_type(doc, $5) = 'OBJECT', false)
            AND coalesce(json_array_length(doc, $6) = $7, false)
            AND coalesce(json_type(doc, $8) = 'OBJECT', false)
            AND coalesce(
              json_type(doc, $9) = 'VARCHAR'
              AND (doc ->> $10) = $11,
              false
            )
            AND coalesce(
              json_type(doc, $12) = 'BOOLEAN'
              AND CAST(doc ->> $13 AS BOOLEAN) = $14,
              false
            )
            AND coalesce(
              json_type(doc, $15) = 'BOOLEAN'
              AND CAST(doc ->> $16 AS BOOLEAN) = $17,
              false
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
  $18
