"""Reads `perf script` output (call stacks) on stdin; prints the CPU share per area and the hottest leaf functions.

An area is matched on the frames' names (managed frames are named through the runtime's perf map). Own: each sample
belongs to the innermost frame that matches an area (walking from the leaf towards the root), so the column adds up to
100 %: the share of CPU spent in that area's code and in what it calls that matches no other area. Inclusive: a sample
counts once for every area anywhere on its stack (middleware frames sit under everything they await synchronously, so
this column overstates them and does not add up). The JIT's callers: the first managed frame above the JIT in each
sample that compiles code, i.e. what keeps the JIT busy.
"""
import collections
import re
import sys

AREAS = [
    ("token validation (JWT, RSA)", r"IdentityModel|JsonWebToken|JwtBearer|RSA|Rsa|libcrypto|libssl|Cryptography"),
    ("authorization policy", r"Microsoft\.AspNetCore\.Authorization"),
    ("tenancy", r"TicketAspire\.Tenancy|ResellerResolution|MultiTenant"),
    ("rate limiting", r"RateLimit"),
    ("hold guard (velocity, blocks)", r"HoldGuard|HoldVelocity|AccountBlocks"),
    ("idempotency", r"Idempoten"),
    ("audit", r"Audit"),
    ("load shedding", r"Shedding"),
    ("input checks", r"Infrastructure\.Input|InputCheck"),
    ("hold service and claim batching", r"TicketAspire\.Inventory"),
    ("Npgsql", r"Npgsql"),
    ("Redis client", r"StackExchange\.Redis"),
    ("JSON", r"System\.Text\.Json"),
    ("OpenTelemetry, metrics, logging", r"OpenTelemetry|System\.Diagnostics\.Metrics|Microsoft\.Extensions\.Logging|DiagnosticSource|Activity"),
    ("Kestrel and HTTP", r"Microsoft\.AspNetCore\.Server|Kestrel|System\.Net\.Http|Http2|Http1"),
    ("routing and endpoint", r"Microsoft\.AspNetCore\.Routing|RequestDelegateFactory|Microsoft\.AspNetCore\.Http\.Generated"),
    ("sockets and async I/O", r"System\.Net\.Sockets|SocketAsyncEngine|epoll"),
    ("GC", r"\bgc_heap|WKS::|SVR::|GCHeap|gc\.cpp|GarbageCollect|memset|memmove"),
    ("JIT", r"libclrjit|CILJit|jitNativeCode"),
    ("thread pool and scheduling", r"ThreadPool|PortableThreadPool|WorkerThread|futex|schedule|LowLevelLifoSemaphore"),
    ("kernel", r"\[kernel\.kallsyms\]"),
]
COMPILED = [(name, re.compile(rx)) for name, rx in AREAS]

samples = 0
own = collections.Counter()
jit_callers = collections.Counter()
inclusive = collections.Counter()
leaf = collections.Counter()
stack = []


def flush():
    global samples
    if not stack:
        return
    samples += 1
    text = "\n".join(stack)
    for name, rx in COMPILED:
        if rx.search(text):
            inclusive[name] += 1
    leaf[stack[0]] += 1
    owner = "other"
    for frame in stack:
        hit = next((name for name, rx in COMPILED if rx.search(frame)), None)
        if hit:
            owner = hit
            break
    own[owner] += 1
    if any("libclrjit" in f for f in stack):
        caller = next((f for f in stack if not re.search(r"libclrjit|libcoreclr|\[unknown\]|stub |kallsyms|libc\.so", f)), "(none)")
        jit_callers[caller] += 1


for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        flush()
        stack = []
        continue
    if line.startswith((" ", "\t")):
        # "    7f12 Name+0x12 (module)" -> "Name (module)"
        m = re.match(r"\s+[0-9a-f]+\s+(.*)$", line)
        if m:
            frame = re.sub(r"\+0x[0-9a-f]+", "", m.group(1))
            frame = re.sub(r"\[OptimizedTier1\]|\[Optimized\]|\[Tier1\]|\[Tier0\]|\[PreJIT\]|\[QuickJitted\]", "", frame)
            stack.append(frame.strip())
flush()

if samples == 0:
    print("no samples")
    sys.exit(1)
print(f"{samples} samples of eu-api (perf record -F 499 -g)")
print()
print("| area | own CPU share | inclusive |")
print("|---|---|---|")
for name, _ in AREAS + [("other", None)]:
    print(f"| {name} | {own[name] * 100 / samples:.1f} % | {inclusive[name] * 100 / samples:.1f} % |")
print()
print("| what keeps the JIT busy (first managed frame above it) | share of all samples |")
print("|---|---|")
for frame, n in jit_callers.most_common(15):
    print(f"| `{frame[:110]}` | {n * 100 / samples:.1f} % |")
print()
print("| hottest leaf functions | share |")
print("|---|---|")
for frame, n in leaf.most_common(25):
    print(f"| `{frame[:110]}` | {n * 100 / samples:.1f} % |")
