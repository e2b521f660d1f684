-- wrk script: searches no citizen would type. Every request asks for a fresh random string of
-- 30 characters (lower-case ASCII letters, about one in six a space), so no word is in the
-- vocabulary and each one goes through typo correction: the worst ordinary case for the search
-- engine. Run against a server with the response cache off (MOTCUA_RESPONSE_CACHE_ENTRIES=0);
-- with the cache on, random queries would only fill and churn it.
--
-- The sequence is deterministic (fixed seed per wrk thread), so runs compare like with like.
local letters = "abcdefghijklmnopqrstuvwxyz"
local length = 30
local rng_state = 0

-- Park-Miller's generator rather than math.random, whose sequence differs between Lua
-- implementations; every product stays below 2^53, so it is exact in LuaJIT's doubles.
local function next_random(n)
  rng_state = (rng_state * 16807) % 2147483647
  return rng_state % n
end

local threads = {}
function setup(thread)
  thread:set("seed", 20261123 + #threads)
  threads[#threads + 1] = thread
end

function init(args)
  rng_state = seed or 20261123
end

function request()
  local parts = {}
  for i = 1, length do
    if next_random(6) == 0 then
      parts[i] = "%20"
    else
      local k = next_random(26) + 1
      parts[i] = letters:sub(k, k)
    end
  end
  return wrk.format("GET", "/api/v1/procedures?limit=10&q=" .. table.concat(parts))
end
