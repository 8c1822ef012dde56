-- wrk script: sign in with the password grant (argon2id-bound on purpose).
-- BENCH_EMAIL and BENCH_PASSWORD come from the environment (bench/http/run sets them).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
wrk.body = "grant_type=password&username=" .. encode(os.getenv("BENCH_EMAIL")) ..
           "&password=" .. encode(os.getenv("BENCH_PASSWORD"))
