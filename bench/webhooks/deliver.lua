-- wrk script: POST pre-signed, distinct Stripe events to /v1/webhooks/stripe, each once, in
-- the order of the file named by BENCH_EVENTS (lines "signature TAB body", from
-- bench_sign_events). Counts what it sends, so the run can check that the events table holds
-- exactly those events.
local events = {}
local next_event = 1
local checked = false
sent = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_EVENTS")) do
    local tab = line:find("\t", 1, true)
    events[#events + 1] = {line:sub(1, tab - 1), line:sub(tab + 1)}
  end
end

function request()
  local event = events[next_event]
  if event == nil then
    error("bench/webhooks: the events file ran out; generate more")
  end
  -- wrk builds one request after init() only to check it, and never sends it.
  if checked then
    next_event = next_event + 1
    sent = sent + 1
  end
  checked = true
  return wrk.format("POST", "/v1/webhooks/stripe",
                    {["Content-Type"] = "application/json; charset=utf-8",
                     ["Stripe-Signature"] = event[1]}, event[2])
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("sent") end
  io.write(string.format("sent %d\n", total))
end
