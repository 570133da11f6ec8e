"""The nginx configuration that puts several Rasa servers and action servers behind one address.

Rasa scales horizontally by running more servers that share the tracker store (the project's
database) and the lock store (Redis), with a load balancer in front; this writes that load
balancer's configuration. Used by `scripts/run.sh` (LEKSTROOM_RASA_SERVERS=n) and the tests:

    python -m actions.loadbalancer --dir var/nginx --rasa 5105 5106 --acties 5155 5156 \
        --listen 5005 --acties-listen 5055 > var/nginx/nginx.conf

- REST and the HTTP API go round robin to any Rasa server: every message reads the conversation from
  the shared tracker store, under the conversation's lock in Redis.
- socket.io keeps one browser on one Rasa server (`ip_hash`): its polling and websocket requests
  belong to one socket.io session, which lives in that server's memory.
- the action servers are one upstream too; Rasa's action endpoint points at it.
- a server that fails is skipped for the next request (`proxy_next_upstream`), so a restart of one
  server does not interrupt the inwoners; request bodies are capped (`client_max_body_size`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from string import Template
from typing import Sequence

SJABLOON = Template(
    """# Written by actions/loadbalancer.py; do not edit by hand.
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  # Which server answered, never what was said (no query strings: the API token is one).
  log_format upstream '$$time_iso8601 $$request_method $$uri $$status $$upstream_addr $$request_time';
  access_log $dir/access.log upstream;
  # Bodies and answers stay in memory: no temporary files, which the worker (often user nobody)
  # could not write in a private directory anyway.
  client_max_body_size 64k;
  client_body_buffer_size 64k;
  proxy_buffering off;
  server_tokens off;
  map $$http_upgrade $$connection_upgrade { default upgrade; '' close; }

  upstream rasa { $rasa_servers }
  upstream rasa_socketio { ip_hash; $rasa_servers }
  upstream acties { $actie_servers }

  server {
    listen $host:$listen;
    location /socket.io/ {
      proxy_pass http://rasa_socketio;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $$http_upgrade;
      proxy_set_header Connection $$connection_upgrade;
      proxy_set_header Host $$host;
      proxy_read_timeout 120s;
    }
    location / {
      proxy_pass http://rasa;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_502 http_503;
      proxy_read_timeout 120s;
    }
  }
  server {
    listen $host:$acties_listen;
    # Rasa sends the whole conversation to the action server with every call.
    client_max_body_size 8m;
    client_body_buffer_size 8m;
    location / {
      proxy_pass http://acties;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_502 http_503;
      proxy_read_timeout 120s;
    }
  }
}
"""
)


def _servers(ports: Sequence[int]) -> str:
    return " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports)


def nginx_config(
    directory: Path,
    rasa_ports: Sequence[int],
    actie_ports: Sequence[int],
    listen: int,
    acties_listen: int,
    host: str = "127.0.0.1",
) -> str:
    if not rasa_ports or not actie_ports:
        raise ValueError("minstens één Rasa-server en één actieserver nodig")
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    return SJABLOON.substitute(
        dir=str(directory.resolve()),
        rasa_servers=_servers(rasa_ports),
        actie_servers=_servers(actie_ports),
        listen=listen,
        acties_listen=acties_listen,
        host=host,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="nginx-configuratie voor meerdere Rasa-servers")
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--rasa", type=int, nargs="+", required=True)
    parser.add_argument("--acties", type=int, nargs="+", required=True)
    parser.add_argument("--listen", type=int, default=5005)
    parser.add_argument("--acties-listen", type=int, default=5055)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    print(nginx_config(args.dir, args.rasa, args.acties, args.listen, args.acties_listen, args.host))


if __name__ == "__main__":
    main()
