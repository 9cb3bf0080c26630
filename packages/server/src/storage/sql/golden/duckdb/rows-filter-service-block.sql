-- rows-filter-service-block (duckdb; generated: npm run golden)
-- filter: service("backend.example.com") { fault }
-- params: ["\u001ebackend.example.com\u001f",1767229200,1767229500,1001]
WITH
  t AS (
    SELECT
      trace_id,
      first_start AS matched,
      trace_time,
      fault_nodes,
      last_end - first_start AS trace_duration,
      coalesce(contains(fault_nodes, $1), false) AS c0
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
              http_client_ip,
              service,
              service_type,
              account_id,
              downstream_name,
              downstream_type
            FROM
              spans
            WHERE
              trace_time >= $2
              AND trace_time < $3
          ),
          t1 AS (
            SELECT
              t0.*,
              (
                t0.is_segment
                AND p.id IS NULL
              ) AS is_root,
              (
                t0.downstream_name IS NOT NULL
                AND t0.service IS NOT NULL
                AND a.id IS NULL
              ) AS is_inferred
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
              LEFT JOIN (
                SELECT DISTINCT
                  trace_id,
                  parent_id AS id
                FROM
                  t0
                WHERE
                  is_segment
                  AND parent_id IS NOT NULL
              ) AS a ON a.trace_id = t0.trace_id
              AND a.id = t0.id
          )
        SELECT
          trace_id,
          max(trace_time) AS trace_time,
          min(start_time) AS first_start,
          max(coalesce(end_time, start_time)) AS last_end,
          (
            chr(30) || string_agg(
              DISTINCT coalesce(
                replace(
                  replace(
                    CASE
                      WHEN is_segment THEN service
                      ELSE downstream_name
                    END,
                    chr(30),
                    ''
                  ),
                  chr(31),
                  ''
                ),
                chr(21)
              ) || chr(31) || coalesce(
                replace(
                  replace(
                    CASE
                      WHEN is_segment THEN service_type
                      ELSE downstream_type
                    END,
                    chr(30),
                    ''
                  ),
                  chr(31),
                  ''
                ),
                chr(21)
              ) || chr(31) || coalesce(
                replace(
                  replace(
                    CASE
                      WHEN is_segment THEN account_id
                    END,
                    chr(30),
                    ''
                  ),
                  chr(31),
                  ''
                ),
                chr(21)
              ),
              chr(30)
            ) FILTER(
              WHERE
                (
                  is_segment
                  OR is_inferred
                )
                AND fault
            ) || chr(30)
          ) AS fault_nodes
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
  $4
