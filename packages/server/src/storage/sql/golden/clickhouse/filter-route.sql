-- filter-route (clickhouse; generated: npm run golden)
-- filter: http.route = "/api/products/{id}" OR service("backend.example.com") { http.route BEGINSWITH "/v1/" }
-- params: [1767229200,1767229500,1767225600,1767233100,"/api/products/{id}","backend.example.com","backend.example.com","/v1/",1767225600,1767233100,"backend.example.com","backend.example.com","/v1/","/api/products/{id}",1001]
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
      AND trace_id IN (
        SELECT
          trace_id
        FROM
          spans
        WHERE
          start_time >= {p2:Int64}
          AND start_time < {p3:Int64}
          AND (
            (
              is_segment
              AND coalesce(
                (
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
                  ) = {p4:String}
                ),
                false
              )
            )
            OR (
              (
                (
                  is_segment
                  AND (service = {p5:String})
                )
                OR (
                  downstream_name IS NOT NULL
                  AND (downstream_name = {p6:String})
                )
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
          cand
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
  facts AS (
    SELECT
      trace_id,
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
      ) .1 AS root_route,
      coalesce(
        max(
          coalesce(
            (
              (
                (
                  is_segment
                  AND (service = {p10:String})
                )
                OR (
                  (
                    (
                      downstream_name IS NOT NULL
                      AND service IS NOT NULL
                    )
                    AND callee_service IS NULL
                  )
                  AND (downstream_name = {p11:String})
                )
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
                  {p12:String}
                ),
                false
              )
            ),
            false
          )
        ),
        false
      ) AS c0,
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
        coalesce((root_route = {p13:String}), false)
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
  {p14:Int64}
SETTINGS
  join_use_nulls = 1
