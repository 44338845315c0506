-- The POST requests of the suite: BENCH_BODY=chat (a non-stream chat completion, the default), stream (the same
-- chat streamed: the warm-up's) or embeddings (a 1 MiB input). The relay token comes from BENCH_TOKEN (empty for
-- the upstream called directly).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
if os.getenv("BENCH_BODY") == "embeddings" then
  local head = '{"model":"bench-embed","input":"'
  local tail = '"}'
  wrk.body = head .. string.rep("lorem ipsum ", math.floor((1048576 - #head - #tail) / 12)) .. tail
else
  local stream = os.getenv("BENCH_BODY") == "stream" and '"stream":true,' or ''
  wrk.body = '{"model":"bench-model",' .. stream .. '"messages":[{"role":"system","content":"You are terse."},' ..
    '{"role":"user","content":"Say hello."}]}'
end
