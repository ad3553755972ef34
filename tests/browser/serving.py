"""Start ``mkdocs serve`` on a free local port and wait for its first page (shared by the serve test and the serve
benchmarks in ``benchmarks/``)."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """``with Serve(root) as server:`` runs ``mkdocs serve`` in ``root``; ``server.first_page_s`` is the time from
    the command to the first page answered, ``server.url`` its address, ``server.log()`` what it has logged so far
    (kept in a file, so a long run never blocks on a full pipe). Stops the server and its children."""

    def __init__(self, root, timeout=120):
        self.root, self.timeout, self.port = root, timeout, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_file = Path(tempfile.mkstemp(prefix="mkdocs-serve-", suffix=".log")[1])

    def log(self):
        return self.log_file.read_text(encoding="utf8", errors="replace")

    def __enter__(self):
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TF_CPP_MIN_LOG_LEVEL="3")
        env.pop("EXECUTE_NOTEBOOKS", None)
        self.started = start = time.monotonic()
        with open(self.log_file, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{self.port}"],
                cwd=self.root, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited:\n{self.log()[-4000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() - start > self.timeout:
                self.__exit__()
                raise TimeoutError(f"mkdocs serve showed no page within {self.timeout} s")
            time.sleep(0.1)
        self.first_page_s = time.monotonic() - start
        return self

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
