-- wrk script: each request searches for one of the realistic citizen queries in QUERIES_FILE
-- (one URL-encoded query per line), in turn.
local queries = {}
local i = 0
function init(args)
  for line in io.lines(os.getenv("QUERIES_FILE")) do
    queries[#queries + 1] = line
  end
end
function request()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/procedures?limit=10&q=" .. queries[i])
end
