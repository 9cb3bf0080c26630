-- rows-summaries-processed (clickhouse; generated: npm run golden)
-- params: [1767229200,1767229500]
SELECT
  toInt64(count()) AS n
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
  ) AS t
SETTINGS
  join_use_nulls = 1
