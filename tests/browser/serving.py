"""Start ``mkdocs serve`` on a free local port and wait for its first page (shared by the serve test and
``benchmarks/serve_startup.py``)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """``with Serve(root) as server:`` runs ``mkdocs serve`` in ``root``; ``server.first_page_s`` is the time from
    the command to the first page answered, ``server.url`` its address. Stops the server and its children."""

    def __init__(self, root, timeout=120):
        self.root, self.timeout, self.port = root, timeout, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"

    def __enter__(self):
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TF_CPP_MIN_LOG_LEVEL="3")
        env.pop("EXECUTE_NOTEBOOKS", None)
        start = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{self.port}"],
            cwd=self.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited:\n{self.process.stderr.read()[-4000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() - start > self.timeout:
                self.__exit__()
                raise TimeoutError(f"mkdocs serve showed no page within {self.timeout} s")
            time.sleep(0.2)
        self.first_page_s = time.monotonic() - start
        return self

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
