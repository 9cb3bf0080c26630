-- rows-filter-edge-block (clickhouse; generated: npm run golden)
-- filter: edge("api.example.com", "backend.example.com") { error OR fault }
-- params: [1767225600,1767233100,"api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","api.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com",1767225600,1767233100,"api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com",1767229200,1767229500,1001]
WITH
  k AS (
    SELECT
      trace_id
    FROM
      spans
    WHERE
      start_time >= {p0:Int64}
      AND start_time < {p1:Int64}
      AND coalesce(
        (
          (
            (
              (
                (
                  (
                    (
                      (
                        true
                        AND (service = {p2:String})
                      )
                      AND (service = {p3:String})
                    )
                    AND coalesce(error, false)
                  )
                  OR (
                    (
                      (
                        true
                        AND (service = {p4:String})
                      )
                      AND (service = {p5:String})
                    )
                    AND coalesce(fault, false)
                  )
                )
                OR (
                  (
                    (
                      (
                        true
                        AND service IS NOT NULL
                      )
                      AND (service = {p6:String})
                    )
                    AND true
                  )
                  AND coalesce(error, false)
                )
              )
              OR (
                (
                  (
                    (
                      true
                      AND service IS NOT NULL
                    )
                    AND (service = {p7:String})
                  )
                  AND true
                )
                AND coalesce(fault, false)
              )
            )
            OR (
              (
                (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND true
                  )
                  AND (service = {p8:String})
                )
                AND (downstream_name = {p9:String})
              )
              AND coalesce(error, false)
            )
          )
          OR (
            (
              (
                (
                  (
                    downstream_name IS NOT NULL
                    AND service IS NOT NULL
                  )
                  AND true
                )
                AND (service = {p10:String})
              )
              AND (downstream_name = {p11:String})
            )
            AND coalesce(fault, false)
          )
        ),
        false
      )
  ),
  s0 AS (
    SELECT
      trace_id,
      id,
      parent_id,
      is_segment,
      start_time,
      end_time,
      service,
      downstream_name,
      error,
      fault,
      service_type,
      account_id
    FROM
      spans
    WHERE
      start_time >= {p12:Int64}
      AND start_time < {p13:Int64}
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
      (
        s0.is_segment
        AND p.id IS NULL
      ) AS is_root,
      c.callee_service,
      c.callee_type,
      c.callee_account
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
            s
          WHERE
            true
            AND coalesce(
              (
                (
                  (
                    (
                      (
                        (
                          (
                            (
                              is_root
                              AND (service = {p14:String})
                            )
                            AND (service = {p15:String})
                          )
                          AND coalesce(error, false)
                        )
                        OR (
                          (
                            (
                              is_root
                              AND (service = {p16:String})
                            )
                            AND (service = {p17:String})
                          )
                          AND coalesce(fault, false)
                        )
                      )
                      OR (
                        (
                          (
                            (
                              callee_service IS NOT NULL
                              AND service IS NOT NULL
                            )
                            AND (service = {p18:String})
                          )
                          AND (callee_service = {p19:String})
                        )
                        AND coalesce(error, false)
                      )
                    )
                    OR (
                      (
                        (
                          (
                            callee_service IS NOT NULL
                            AND service IS NOT NULL
                          )
                          AND (service = {p20:String})
                        )
                        AND (callee_service = {p21:String})
                      )
                      AND coalesce(fault, false)
                    )
                  )
                  OR (
                    (
                      (
                        (
                          (
                            downstream_name IS NOT NULL
                            AND service IS NOT NULL
                          )
                          AND callee_service IS NULL
                        )
                        AND (service = {p22:String})
                      )
                      AND (downstream_name = {p23:String})
                    )
                    AND coalesce(error, false)
                  )
                )
                OR (
                  (
                    (
                      (
                        (
                          downstream_name IS NOT NULL
                          AND service IS NOT NULL
                        )
                        AND callee_service IS NULL
                      )
                      AND (service = {p24:String})
                    )
                    AND (downstream_name = {p25:String})
                  )
                  AND coalesce(fault, false)
                )
              ),
              false
            )
        )
      ) AS c0
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
              trace_time >= {p26:Int64}
              AND trace_time < {p27:Int64}
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
  {p28:Int64}
SETTINGS
  join_use_nulls = 1
