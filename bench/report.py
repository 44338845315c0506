#!/usr/bin/env python3
"""Turns one bench/run's raw outputs (wrk texts, probe lines, samples) into the Markdown results page."""
import datetime
import os
import platform
import re
import subprocess
import sys

work, results_file = sys.argv[1], sys.argv[2]
TARGETS = ("direct", "nginx", "gateway")

notes = {}
with open(results_file) as f:
    for line in f:
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            notes[k] = v


def seconds(text):
    """wrk's '123.45us' / '1.2ms' / '2.00s' as seconds."""
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(target, scenario):
    path = os.path.join(work, f"wrk-{target}-{scenario}.txt")
    with open(path) as f:
        text = f.read()
    out = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))}
    for p in ("50", "99"):
        m = re.search(rf"^\s+{p}%\s+(\S+)", text, re.M)
        out["p" + p] = seconds(m.group(1)) if m else float("nan")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["errors"] = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    out["requests"] = int(re.search(r"(\d+) requests in", text).group(1))
    return out


def probe(target):
    return {k: int(v) for k, v in re.findall(r"(\w+)=(-?\d+)", notes.get(f"{target}.stream", ""))}


def us(s):
    return f"{s * 1e6:,.0f} µs"


def verdict(ok):
    return "met" if ok else "**missed**"


def version(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001 - a missing tool is reported, not fatal
        return f"unknown ({e})"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def mem_total():
    with open("/proc/meminfo") as f:
        return f"{int(f.readline().split()[1]) / 1024 / 1024:.1f} GiB"


w = {t: {s: wrk(t, s) for s in ("c1", "c32", "chigh", "embed")} for t in TARGETS}
st = {t: probe(t) for t in TARGETS}
high = w["gateway"]["chigh"]
c_high = re.search(r"(\d+) connections", open(os.path.join(work, "wrk-gateway-chigh.txt")).read()).group(1)

rows = []


def latency_row(label, scen, pct, target_text, limit):
    d, n, g = (w[t][scen][pct] for t in TARGETS)
    n_add, g_add = n - d, g - d
    rows.append((label, us(d), us(n), us(g), us(n_add), us(g_add), us(g_add - n_add), target_text,
                 verdict(g_add - n_add <= limit)))


latency_row("chat, 1 connection, p50", "c1", "p50", "gateway added ≤ nginx added + 100 µs", 100e-6)
latency_row("chat, 1 connection, p99", "c1", "p99", "gateway added ≤ nginx added + 1 ms", 1e-3)
d, n, g = (w[t]["c32"]["rps"] for t in TARGETS)
rows.append(("chat, 32 connections, req/s", f"{d:,.0f}", f"{n:,.0f}", f"{g:,.0f}", "", "",
             f"{g / n:.0%} of nginx", "≥ 50% of nginx", verdict(g >= 0.5 * n)))
d, n, g = (w[t]["c32"]["p99"] for t in TARGETS)
rows.append(("chat, 32 connections, p99", us(d), us(n), us(g), us(n - d), us(g - d), us((g - d) - (n - d)), "",
             ""))
d, n, g = (w[t]["chigh"]["rps"] for t in TARGETS)
rows.append((f"chat, {c_high} connections, req/s", f"{d:,.0f}", f"{n:,.0f}", f"{g:,.0f}", "", "",
             f"{g / n:.0%} of nginx", "", ""))
d, n, g = (w[t]["chigh"]["p99"] for t in TARGETS)
errs = [w[t]["chigh"]["errors"] for t in TARGETS]
rows.append((f"chat, {c_high} connections, p99 (errors)", f"{us(d)} ({errs[0]})", f"{us(n)} ({errs[1]})",
             f"{us(g)} ({errs[2]})", "", "", "", "no errors, p99 < 50 ms", verdict(errs[2] == 0 and g < 0.05)))
for pct in ("p50", "p99"):
    d, n, g = (w[t]["embed"][pct] for t in TARGETS)
    rows.append((f"embeddings, 1 MiB body, 4 connections, {pct}", us(d), us(n), us(g), us(n - d), us(g - d),
                 us((g - d) - (n - d)), "", ""))
d, n, g = (w[t]["embed"]["rps"] for t in TARGETS)
rows.append(("embeddings, 1 MiB body, req/s", f"{d:,.0f}", f"{n:,.0f}", f"{g:,.0f}", "", "", f"{g / n:.0%} of nginx",
             "", ""))
for key, label, target_text in (("first_p50_us", "stream, time to first event, p50", "gateway added < 1 ms"),
                                ("first_p99_us", "stream, time to first event, p99", ""),
                                ("gap_p50_us", "stream, gap between events, p50", ""),
                                ("gap_p99_us", "stream, gap between events, p99", "gateway added < 1 ms")):
    d, n, g = (st[t].get(key, -1) / 1e6 for t in TARGETS)
    rows.append((label, us(d), us(n), us(g), us(n - d), us(g - d), us((g - d) - (n - d)), target_text,
                 verdict(g - d < 1e-3) if target_text else ""))
stream_fail = [st[t].get("failed", -1) for t in TARGETS]

hold = {t: dict(re.findall(r"(\w+)=(\S+)", notes.get(f"{t}.hold", ""))) for t in ("nginx", "gateway")}
heap = float(notes.get("gateway.hold_heap_bytes") or "nan")
gh = hold["gateway"]
hold_ok = gh.get("failed") == "0" and gh.get("ok") == gh.get("streams") and heap < 512 * 2 ** 20
idle_ok = float(notes.get("gateway.idle_cpu_pct", "nan")) < 1.0
startup = int(notes.get("startup_ms", "-1"))

print(f"# Benchmark results, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC"
      + (" (smoke run: figures are meaningless)" if notes.get("mode") == "smoke" else ""))
print()
print("Made by `bench/run` (see `bench/README.md`). Every figure comes from one run, side by side: the fake "
      "upstream called directly, nginx as a plain reverse proxy to it, and the gateway in front of it with a real "
      "token, accounting (priced model, quota) and the request log on, metrics on. \"Added\" is the figure minus "
      "the direct one; \"gateway vs nginx\" compares what each adds.")
print()
print("## Machine")
print()
print(f"- CPU: {cpu_model()}, {os.cpu_count()} cores; memory {mem_total()}; {platform.system()} "
      f"{platform.release()}")
print(f"- Load average (1, 5, 15 min) before: {notes.get('load_before')}; after: {notes.get('load_after')}")
print(f"- Java: {version(['java', '-version'])}; nginx: {version(['nginx', '-v'])}; wrk: "
      f"{version(['wrk', '-v'])}")
print("- Gateway JVM: `-Xms512m -Xmx512m -XX:+UseG1GC`, warmed up before measuring; "
      "nginx: `worker_processes auto`, upstream keepalive, `proxy_buffering off`, access log on")
try:
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"- Source: commit {rev}")
except OSError:
    pass
print()
print("## Latency and throughput")
print()
print("| scenario | direct | nginx | gateway | nginx added | gateway added | gateway vs nginx | target | |")
print("|---|---:|---:|---:|---:|---:|---:|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print()
print(f"Stream probes that failed (direct, nginx, gateway): {stream_fail}. "
      f"wrk errors at 32 connections: {[w[t]['c32']['errors'] for t in TARGETS]}.")
print()
print("## Open streams, idle CPU, start-up")
print()
print("| figure | nginx | gateway | target | |")
print("|---|---:|---:|---|---|")
nh = hold["nginx"]
print(f"| streams open at once: opened / ended well / failed | {nh.get('opened')} / {nh.get('ok')} / "
      f"{nh.get('failed')} | {gh.get('opened')} / {gh.get('ok')} / {gh.get('failed')} | all, no errors | "
      f"{verdict(hold_ok)} |")
print(f"| time to open them all | {nh.get('open_ms')} ms | {gh.get('open_ms')} ms | | |")
print(f"| memory with them open | RSS {int(notes.get('nginx.hold_rss_kib', 0)) / 1024:.0f} MiB | heap used "
      f"{heap / 2 ** 20:.0f} MiB (of 512), RSS {int(notes.get('gateway.hold_rss_kib', 0)) / 1024:.0f} MiB | "
      f"within 512 MiB heap | {verdict(heap < 512 * 2 ** 20)} |")
print(f"| gateway's open-streams gauge then | | {notes.get('gateway.hold_open_streams')} | | |")
print(f"| CPU used while they ran ({gh.get('streams')} streams, wall {notes.get('gateway.hold_wall_s')} s) | "
      f"{notes.get('nginx.hold_cpu_s')} s | {notes.get('gateway.hold_cpu_s')} s | | |")
print(f"| CPU in the {notes.get('settle_s')} s after they ended (log entries written behind, garbage collected) | "
      f"{notes.get('nginx.settle_cpu_pct')}% | {notes.get('gateway.settle_cpu_pct')}% | | |")
print(f"| idle CPU then ({notes.get('idle_s')} s) | {notes.get('nginx.idle_cpu_pct')}% | "
      f"{notes.get('gateway.idle_cpu_pct')}% | near zero (< 1% of a core) | {verdict(idle_ok)} |")
print(f"| start-up to the first served chat request | | {startup} ms | < 3 s | {verdict(0 <= startup < 3000)} |")
print()
print(f"ERROR lines in the gateway's log during the run: {notes.get('gateway.errors_logged')}.")
