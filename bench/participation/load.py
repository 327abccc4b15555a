"""Bounded HTTP load generator for loopback only: N concurrent clients, a fixed number of requests per URL and a
time cap. Prints JSON {name: {p50_ms, p95_ms, p99_ms, rps, requests, errors}}.

    python bench/participation/load.py --port 8765 --clients 50 --requests 1000 --seconds 60 '{"name": "/path"}'
"""

import argparse
import http.client
import json
import threading
import time


def run_url(port: int, path: str, clients: int, requests: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + seconds

    def client():
        while True:
            with lock:
                if remaining[0] <= 0 or time.monotonic() > deadline:
                    return
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                conn.close()
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1

    # warm-up: a few sequential requests (imports, connection pools)
    for _ in range(5):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path)
        conn.getresponse().read()
        conn.close()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1) if latencies else None

    return {"requests": len(latencies), "errors": errors[0], "p50_ms": pct(0.50), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "rps": round(len(latencies) / wall, 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("urls")
    args = parser.parse_args()
    urls = json.loads(args.urls)
    print(json.dumps({name: run_url(args.port, path, args.clients, args.requests, args.seconds)
                      for name, path in urls.items()}))


if __name__ == "__main__":
    main()
