-- filter-url-method (duckdb; generated: npm run golden)
-- filter: http.url CONTAINS "/api/" AND http.method = "GET" AND http.useragent BEGINSWITH "curl" OR http.clientip ENDSWITH ".1"
-- params: [1767229200,1767229500,1767225600,1767233100,"/api/",1767225600,1767233100,"GET",1767225600,1767233100,".1",1767225600,1767233100,"/api/","GET","curl",".1",1001]
WITH
  cand AS MATERIALIZED (
    SELECT
      trace_id,
      min(start_time) AS matched,
      max(trace_time) AS trace_time
    FROM
      spans
    WHERE
      trace_time >= $1
      AND trace_time < $2
      AND (
        (
          trace_id IN (
            SELECT
              trace_id
            FROM
              spans
            WHERE
              start_time >= $3
              AND start_time < $4
              AND (
                is_segment
                AND coalesce(contains(http_url, $5), false)
              )
          )
          AND trace_id IN (
            SELECT
              trace_id
            FROM
              spans
            WHERE
              start_time >= $6
              AND start_time < $7
              AND (
                is_segment
                AND coalesce((http_method = $8), false)
              )
          )
        )
        OR trace_id IN (
          SELECT
            trace_id
          FROM
            spans
          WHERE
            start_time >= $9
            AND start_time < $10
            AND (
              is_segment
              AND coalesce(ends_with(http_client_ip, $11), false)
            )
        )
      )
    GROUP BY
      trace_id
  ),
  s0 AS MATERIALIZED (
    SELECT
      trace_id,
      id,
      parent_id,
      is_segment,
      start_time,
      end_time,
      http_url,
      http_method,
      http_user_agent,
      http_client_ip
    FROM
      spans
    WHERE
      start_time >= $12
      AND start_time < $13
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          cand
      )
  ),
  s AS (
    SELECT
      s0.*,
      (
        s0.is_segment
        AND p.id IS NULL
      ) AS is_root
    FROM
      s0
      LEFT JOIN (
        SELECT
          trace_id,
          id
        FROM
          s0
      ) AS p ON p.trace_id = s0.trace_id
      AND p.id = s0.parent_id
  ),
  facts AS (
    SELECT
      trace_id,
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
      ) AS root_clientip,
      max(coalesce(end_time, start_time)) - min(start_time) AS trace_duration
    FROM
      s
    GROUP BY
      trace_id
  ),
  matches AS (
    SELECT
      trace_id,
      matched,
      trace_time
    FROM
      facts
      JOIN cand USING (trace_id)
    WHERE
      (
        (
          (
            coalesce(contains(root_url, $14), false)
            AND coalesce((root_method = $15), false)
          )
          AND coalesce(starts_with(root_useragent, $16), false)
        )
        OR coalesce(ends_with(root_clientip, $17), false)
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
