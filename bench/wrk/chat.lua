-- Non-stream chat completion, with the token from BENCH_TOKEN (empty for the upstream called directly).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.body = '{"model":"bench-model","messages":[{"role":"system","content":"You are terse."},' ..
  '{"role":"user","content":"Say hello."}]}'
