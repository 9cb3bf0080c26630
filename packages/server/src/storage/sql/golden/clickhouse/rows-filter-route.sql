-- rows-filter-route (clickhouse; generated: npm run golden)
-- filter: http.route = "/api/products/{id}" OR service("backend.example.com") { http.route BEGINSWITH "/v1/" }
-- params: [1767225600,1767233100,"backend.example.com","/v1/",1767225600,1767233100,"backend.example.com","/v1/",1767225600,1767233100,"backend.example.com","/v1/",1767229200,1767229500,"/api/products/{id}",1001]
WITH
  f0 AS (
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
            is_segment
            AND (service = {p2:String})
          )
          AND coalesce(
            startsWith(
              if(
                isNull(http_url),
                NULL,
                if(
                  arrayStringConcat(
                    arrayMap(
                      s -> if(
                        match(s, '[0-9]')
                        AND NOT match(s, '^[vV][0-9]+$'),
                        '{id}',
                        s
                      ),
                      splitByChar(
                        '/',
                        replaceRegexpOne(
                          splitByChar('#', splitByChar('?', http_url) [1]) [1],
                          '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                          ''
                        )
                      )
                    ),
                    '/'
                  ) = '',
                  '/',
                  arrayStringConcat(
                    arrayMap(
                      s -> if(
                        match(s, '[0-9]')
                        AND NOT match(s, '^[vV][0-9]+$'),
                        '{id}',
                        s
                      ),
                      splitByChar(
                        '/',
                        replaceRegexpOne(
                          splitByChar('#', splitByChar('?', http_url) [1]) [1],
                          '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                          ''
                        )
                      )
                    ),
                    '/'
                  )
                )
              ),
              {p3:String}
            ),
            false
          )
        ),
        false
      )
  ),
  k AS (
    SELECT
      trace_id
    FROM
      spans
    WHERE
      start_time >= {p4:Int64}
      AND start_time < {p5:Int64}
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
            AND (downstream_name = {p6:String})
          )
          AND coalesce(
            startsWith(
              if(
                isNull(http_url),
                NULL,
                if(
                  arrayStringConcat(
                    arrayMap(
                      s -> if(
                        match(s, '[0-9]')
                        AND NOT match(s, '^[vV][0-9]+$'),
                        '{id}',
                        s
                      ),
                      splitByChar(
                        '/',
                        replaceRegexpOne(
                          splitByChar('#', splitByChar('?', http_url) [1]) [1],
                          '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                          ''
                        )
                      )
                    ),
                    '/'
                  ) = '',
                  '/',
                  arrayStringConcat(
                    arrayMap(
                      s -> if(
                        match(s, '[0-9]')
                        AND NOT match(s, '^[vV][0-9]+$'),
                        '{id}',
                        s
                      ),
                      splitByChar(
                        '/',
                        replaceRegexpOne(
                          splitByChar('#', splitByChar('?', http_url) [1]) [1],
                          '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                          ''
                        )
                      )
                    ),
                    '/'
                  )
                )
              ),
              {p7:String}
            ),
            false
          )
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
      http_url,
      service_type,
      account_id
    FROM
      spans
    WHERE
      start_time >= {p8:Int64}
      AND start_time < {p9:Int64}
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
      root_route,
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
                  AND (downstream_name = {p10:String})
                )
                AND coalesce(
                  startsWith(
                    if(
                      isNull(http_url),
                      NULL,
                      if(
                        arrayStringConcat(
                          arrayMap(
                            s -> if(
                              match(s, '[0-9]')
                              AND NOT match(s, '^[vV][0-9]+$'),
                              '{id}',
                              s
                            ),
                            splitByChar(
                              '/',
                              replaceRegexpOne(
                                splitByChar('#', splitByChar('?', http_url) [1]) [1],
                                '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                                ''
                              )
                            )
                          ),
                          '/'
                        ) = '',
                        '/',
                        arrayStringConcat(
                          arrayMap(
                            s -> if(
                              match(s, '[0-9]')
                              AND NOT match(s, '^[vV][0-9]+$'),
                              '{id}',
                              s
                            ),
                            splitByChar(
                              '/',
                              replaceRegexpOne(
                                splitByChar('#', splitByChar('?', http_url) [1]) [1],
                                '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                                ''
                              )
                            )
                          ),
                          '/'
                        )
                      )
                    ),
                    {p11:String}
                  ),
                  false
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
              trace_time >= {p12:Int64}
              AND trace_time < {p13:Int64}
          ),
          t1 AS (
            SELECT
              t0.*,
              (
                t0.is_segment
                AND p.id IS NULL
              ) AS is_root
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
          )
        SELECT
          trace_id,
          max(trace_time) AS trace_time,
          min(start_time) AS first_start,
          max(coalesce(end_time, start_time)) AS last_end,
          argMinIf (
            tuple(
              if(
                isNull(http_url),
                NULL,
                if(
                  arrayStringConcat(
                    arrayMap(
                      s -> if(
                        match(s, '[0-9]')
                        AND NOT match(s, '^[vV][0-9]+$'),
                        '{id}',
                        s
                      ),
                      splitByChar(
                        '/',
                        replaceRegexpOne(
                          splitByChar('#', splitByChar('?', http_url) [1]) [1],
                          '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                          ''
                        )
                      )
                    ),
                    '/'
                  ) = '',
                  '/',
                  arrayStringConcat(
                    arrayMap(
                      s -> if(
                        match(s, '[0-9]')
                        AND NOT match(s, '^[vV][0-9]+$'),
                        '{id}',
                        s
                      ),
                      splitByChar(
                        '/',
                        replaceRegexpOne(
                          splitByChar('#', splitByChar('?', http_url) [1]) [1],
                          '^[A-Za-z][A-Za-z0-9+.-]*://[^/]*',
                          ''
                        )
                      )
                    ),
                    '/'
                  )
                )
              )
            ),
            start_time,
            is_root
          ) .1 AS root_route
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
        coalesce((root_route = {p14:String}), false)
        OR c0
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
  {p15:Int64}
SETTINGS
  join_use_nulls = 1
