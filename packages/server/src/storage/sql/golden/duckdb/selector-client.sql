-- selector-client (duckdb; generated: npm run golden)
-- params: [1767225600,1767233100,60,60,1767229200,1767229500]
WITH
  s AS MATERIALIZED (
    SELECT
      trace_id,
      id,
      parent_id,
      is_segment,
      service,
      service_type,
      start_time,
      coalesce(end_time, start_time) AS end_time,
      error,
      fault,
      throttle,
      account_id,
      downstream_name,
      downstream_type
    FROM
      spans
    WHERE
      trace_time >= $1
      AND trace_time < $2
  ),
  seg AS (
    SELECT
      *
    FROM
      s
    WHERE
      is_segment
  ),
  inferred AS (
    SELECT
      x.*
    FROM
      s AS x
      ANTI JOIN (
        SELECT DISTINCT
          trace_id,
          parent_id AS id
        FROM
          s
        WHERE
          is_segment
          AND parent_id IS NOT NULL
      ) AS a ON a.trace_id = x.trace_id
      AND a.id = x.id
    WHERE
      x.downstream_name IS NOT NULL
      AND x.service IS NOT NULL
  ),
  -- One join finds each segment's caller span; a segment without one is a root (as rootSegments).
  caller AS (
    SELECT
      seg.service,
      seg.service_type,
      seg.start_time,
      seg.end_time,
      seg.error,
      seg.fault,
      seg.throttle,
      c.id IS NULL AS is_root,
      c.service AS c_service,
      c.service_type AS c_service_type,
      c.start_time AS c_start,
      c.end_time AS c_end,
      c.error AS c_error,
      c.fault AS c_fault,
      c.throttle AS c_throttle
    FROM
      seg
      LEFT JOIN s AS c ON c.trace_id = seg.trace_id
      AND c.id = seg.parent_id
  ),
  roots AS (
    SELECT
      *
    FROM
      caller
    WHERE
      is_root
  ),
  calls AS (
    SELECT
      c_service AS src_name,
      c_service_type AS src_type,
      service AS dst_name,
      service_type AS dst_type,
      c_start AS start_time,
      c_end AS end_time,
      c_error AS error,
      c_fault AS fault,
      c_throttle AS throttle
    FROM
      caller
    WHERE
      NOT is_root
      AND c_service IS NOT NULL
  ),
  ev AS (
    SELECT
      'service' AS kind,
      service AS a_name,
      service_type AS a_type,
      NULL AS b_name,
      NULL AS b_type,
      start_time,
      end_time,
      error,
      fault,
      throttle,
      account_id
    FROM
      seg
    UNION ALL
    SELECT
      'inferred',
      downstream_name,
      downstream_type,
      NULL,
      NULL,
      start_time,
      end_time,
      error,
      fault,
      throttle,
      NULL
    FROM
      inferred
    UNION ALL
    SELECT
      'edge',
      service,
      'client',
      service,
      service_type,
      start_time,
      end_time,
      error,
      fault,
      throttle,
      NULL
    FROM
      roots
    UNION ALL
    SELECT
      'edge',
      src_name,
      src_type,
      dst_name,
      dst_type,
      start_time,
      end_time,
      error,
      fault,
      throttle,
      NULL
    FROM
      calls
    UNION ALL
    SELECT
      'edge',
      service,
      service_type,
      downstream_name,
      downstream_type,
      start_time,
      end_time,
      error,
      fault,
      throttle,
      NULL
    FROM
      inferred
  )
SELECT
  kind,
  a_name,
  a_type,
  b_name,
  b_type,
  floor(start_time / $3) * $4 AS ts,
  round(end_time - start_time, 3) AS bucket,
  count(*)::INTEGER AS n,
  (
    count(*) FILTER(
      WHERE
        fault
    )
  )::INTEGER AS faults,
  (
    count(*) FILTER(
      WHERE
        NOT fault
        AND throttle
    )
  )::INTEGER AS throttles,
  (
    count(*) FILTER(
      WHERE
        NOT fault
        AND NOT throttle
        AND error
    )
  )::INTEGER AS errors,
  sum(end_time - start_time) AS response_time,
  min(start_time) AS first_start,
  max(end_time) AS last_end,
  max(account_id) AS account_id
FROM
  ev
WHERE
  kind = 'edge'
  AND a_type = 'client'
  AND start_time >= $5
  AND start_time < $6
GROUP BY ALL
