"""gunicorn configuration for a Kompass app server (used as is by the container, the systemd unit, the
Kubernetes manifests and `make cluster-test`).

    gunicorn -c deploy/gunicorn.conf.py config.wsgi:application

Environment: GUNICORN_BIND (default 0.0.0.0:8000), WEB_CONCURRENCY (worker processes, default 2 x CPUs + 1,
the value Kompass' settings read too), GUNICORN_THREADS (default 1: sync workers behind nginx, which buffers slow
clients), GUNICORN_TIMEOUT (30 s), GUNICORN_MAX_REQUESTS (5000, 0 = never recycle), GUNICORN_MAX_REQUESTS_JITTER
(default half of it), PROMETHEUS_MULTIPROC_DIR (metrics of all workers; created empty at start).
"""

import multiprocessing
import os
import shutil

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
os.environ["WEB_CONCURRENCY"] = str(workers)  # settings.WEB_CONCURRENCY sees the number actually running
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then (bounded memory growth). Each worker recycles after max_requests plus a random
# 0..max_requests_jitter requests. Behind a balancer the workers of a server serve about equally many requests, so
# with the old 10 % jitter both recycled within ~1-2 s of each other and the server stalled while both booted
# (~10 s seen by make bench-auth); 50 % spreads the two first recycles by max_requests/6 (~830 requests) on
# average, and each recycle draws anew, so they drift further apart (docs/operations.md, "Worker recycling").
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER") or max_requests // 2)
# The app writes its own JSON request log (kompass.request); gunicorn's access log would duplicate it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only the load balancer talks to us; trust its X-Forwarded-* headers (BEHIND_PROXY=1 in the app settings).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "kompass-web"
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn >= 24 opens a control socket at ~/.gunicorn/gunicorn.ctl; several app servers on one host (the loopback
# cluster, two units) would share that one path. Off unless GUNICORN_CONTROL_SOCKET names a socket per server.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:  # stale files of a previous run would be summed into the new counters
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
