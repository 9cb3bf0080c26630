-- filter-url-method (clickhouse; generated: npm run golden)
-- filter: http.url CONTAINS "/api/" AND http.method = "GET" AND http.useragent BEGINSWITH "curl" OR http.clientip ENDSWITH ".1"
-- params: [1767229200,1767229500,1767225600,1767233100,"/api/",1767225600,1767233100,"GET",1767225600,1767233100,".1",1767225600,1767233100,"/api/","GET","curl",".1",1001]
WITH
  cand AS (
    SELECT
      trace_id,
      min(start_time) AS matched,
      max(trace_time) AS trace_time
    FROM
      spans
    WHERE
      trace_time >= {p0:Int64}
      AND trace_time < {p1:Int64}
      AND (
        (
          trace_id IN (
            SELECT
              trace_id
            FROM
              spans
            WHERE
              start_time >= {p2:Int64}
              AND start_time < {p3:Int64}
              AND (
                is_segment
                AND coalesce((position(http_url, {p4:String}) > 0), false)
              )
          )
          AND trace_id IN (
            SELECT
              trace_id
            FROM
              spans
            WHERE
              start_time >= {p5:Int64}
              AND start_time < {p6:Int64}
              AND (
                is_segment
                AND coalesce((http_method = {p7:String}), false)
              )
          )
        )
        OR trace_id IN (
          SELECT
            trace_id
          FROM
            spans
          WHERE
            start_time >= {p8:Int64}
            AND start_time < {p9:Int64}
            AND (
              is_segment
              AND coalesce(endsWith(http_client_ip, {p10:String}), false)
            )
        )
      )
    GROUP BY
      trace_id
  ),
  s0 AS (
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
      start_time >= {p11:Int64}
      AND start_time < {p12:Int64}
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
      argMinIf (tuple(http_url), start_time, is_root) .1 AS root_url,
      argMinIf (tuple(http_method), start_time, is_root) .1 AS root_method,
      argMinIf (tuple(http_user_agent), start_time, is_root) .1 AS root_useragent,
      argMinIf (tuple(http_client_ip), start_time, is_root) .1 AS root_clientip,
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
            coalesce((position(root_url, {p13:String}) > 0), false)
            AND coalesce((root_method = {p14:String}), false)
          )
          AND coalesce(startsWith(root_useragent, {p15:String}), false)
        )
        OR coalesce(endsWith(root_clientip, {p16:String}), false)
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
  {p17:Int64}
SETTINGS
  join_use_nulls = 1
