-- rows-filter-edge-block (duckdb; generated: npm run golden)
-- filter: edge("api.example.com", "backend.example.com") { error OR fault }
-- params: [1767225600,1767233100,"api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","api.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com",1767225600,1767233100,"api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com","api.example.com","backend.example.com",1767229200,1767229500,1001]
WITH
  k AS MATERIALIZED (
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
            (
              (
                (
                  (
                    (
                      (
                        true
                        AND (service = $3)
                      )
                      AND (service = $4)
                    )
                    AND coalesce(error, false)
                  )
                  OR (
                    (
                      (
                        true
                        AND (service = $5)
                      )
                      AND (service = $6)
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
                      AND (service = $7)
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
                    AND (service = $8)
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
                  AND (service = $9)
                )
                AND (downstream_name = $10)
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
                AND (service = $11)
              )
              AND (downstream_name = $12)
            )
            AND coalesce(fault, false)
          )
        ),
        false
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
      error,
      fault,
      service_type,
      account_id
    FROM
      spans
    WHERE
      start_time >= $13
      AND start_time < $14
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
                              AND (service = $15)
                            )
                            AND (service = $16)
                          )
                          AND coalesce(error, false)
                        )
                        OR (
                          (
                            (
                              is_root
                              AND (service = $17)
                            )
                            AND (service = $18)
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
                            AND (service = $19)
                          )
                          AND (callee_service = $20)
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
                          AND (service = $21)
                        )
                        AND (callee_service = $22)
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
                        AND (service = $23)
                      )
                      AND (downstream_name = $24)
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
                      AND (service = $25)
                    )
                    AND (downstream_name = $26)
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
              trace_time >= $27
              AND trace_time < $28
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
  $29
