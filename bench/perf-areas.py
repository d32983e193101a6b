"""Reads `perf script` output (call stacks) on stdin; prints the CPU share per area and the hottest leaf functions.

An area is matched on the frames' names (managed frames are named through the runtime's perf map). Inclusive: a sample
counts once for every area that appears anywhere on its stack, so the column does not add up to 100 %.
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
print("| area | CPU share (inclusive) |")
print("|---|---|")
for name, _ in AREAS:
    print(f"| {name} | {inclusive[name] * 100 / samples:.1f} % |")
print()
print("| hottest leaf functions | share |")
print("|---|---|")
for frame, n in leaf.most_common(25):
    print(f"| `{frame[:110]}` | {n * 100 / samples:.1f} % |")
