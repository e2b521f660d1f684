-- wrk script: durable writes. Each request publishes a public notice (POST /api/v1/notices),
-- answered 201 only once its commit is durable. The text varies per request ("... số N"), so no
-- two bodies are alike. Environment: ADMIN_TOKEN (an administrator's API key) and
-- SERVICE_POINT (a code from GET /api/v1/service-points).
--
-- wrk counts 201 as a success like any 2xx; this script counts every status other than 201
-- itself and prints "non-201: N" at the end, so a 200 or a 503 is never mistaken for a write.
local token = os.getenv("ADMIN_TOKEN") or ""
local point = os.getenv("SERVICE_POINT") or ""
local n = 0
local prefix = ""
non201 = 0 -- global: read by done() through thread:get()

local threads = {}
function setup(thread)
  thread:set("thread_index", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  -- Distinct texts across wrk threads too.
  prefix = tostring(thread_index or 0) .. "-"
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local body = '{"service_point":"' .. point .. '","text_vi":"Thông báo thử nghiệm số ' ..
      prefix .. n .. '"}'
  return wrk.format("POST", "/api/v1/notices", nil, body)
end

function response(status, headers, body)
  if status ~= 201 then non201 = non201 + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("non201") or 0) end
  io.write(string.format("non-201: %d\n", total))
end
