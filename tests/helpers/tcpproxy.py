"""A TCP proxy that a fault test can cut: the database 'goes down' for the processes behind it.

Real connections, real errors: while cut, open connections are closed and new ones are refused,
exactly what a client sees when the database server stops.
"""

from __future__ import annotations

import socket
import threading
from typing import List, Optional, Tuple


class TcpProxy:
    def __init__(self, target: Tuple[str, int]):
        self.target = target
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._open: List[socket.socket] = []
        self._lock = threading.Lock()
        self._down = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._down.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            _sluit(src, dst)

    def cut(self) -> None:
        """The database is down: drop every open connection and refuse new ones."""
        self._down.set()
        with self._lock:
            conns, self._open = self._open, []
        _sluit(*conns)

    def restore(self) -> None:
        self._down.clear()

    def close(self, timeout: Optional[float] = 2) -> None:
        self._stop.set()
        self.cut()
        self._listener.close()
        self._thread.join(timeout)


def _sluit(*conns: socket.socket) -> None:
    for s in conns:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()
