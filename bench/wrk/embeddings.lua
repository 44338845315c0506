-- Embeddings with a 1 MiB body, with the token from BENCH_TOKEN (empty for the upstream called directly).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local head = '{"model":"bench-embed","input":"'
local tail = '"}'
wrk.body = head .. string.rep("lorem ipsum ", math.floor((1048576 - #head - #tail) / 12)) .. tail
