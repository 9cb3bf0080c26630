-- summaries-processed (clickhouse; generated: npm run golden)
-- params: [1767229200,1767229500]
SELECT
  toInt64(uniqExact(trace_id)) AS n
FROM
  spans
WHERE
  trace_time >= {p0:Int64}
  AND trace_time < {p1:Int64}
