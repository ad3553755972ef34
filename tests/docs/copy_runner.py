"""Runs copied snippets one after another as ``python snippet.py`` would, in a fresh process each.

Started once as ``python -I -W error copy_runner.py MODULE ...`` in an empty folder: it imports the named
third-party modules (numpy; or numpy and keras) once, then forks one child per snippet. Each child starts from an empty
namespace, in its own empty folder, where this repository's ``snippets`` package cannot be imported, so a snippet
must still import everything it uses itself (the test also checks that with pyflakes). The imports done before
the fork only save each child the time NumPy or TensorFlow takes to start.

Protocol: one JSON line per snippet on stdin, ``{"folder": path}`` (the folder holds ``snippet.py``); one JSON
line per snippet on stdout, ``{"returncode": n, "stderr": text}``.
"""

import importlib
import importlib.abc
import json
import os
import runpy
import sys
import traceback


class NotInstalled(importlib.abc.MetaPathFinder):
    """``snippets`` is installed in the development environment; a reader's fresh environment lacks it."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "snippets":
            raise ModuleNotFoundError(f"No module named {name!r} (a reader's environment has only the packages "
                                      "of requirements.txt)")


def run_child(folder):
    """In the forked child: run ``folder/snippet.py`` as ``__main__``; never returns."""
    code = 0
    try:
        os.chdir(folder)
        os.environ["HOME"] = folder
        with open(os.path.join(folder, "stderr.txt"), "w") as err, open(os.devnull, "w") as out:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
        sys.argv = ["snippet.py"]
        runpy.run_path("snippet.py", run_name="__main__")
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(preload):
    sys.meta_path.insert(0, NotInstalled())
    for name in preload:
        importlib.import_module(name)
    protocol = sys.stdout
    for line in sys.stdin:
        folder = json.loads(line)["folder"]
        pid = os.fork()
        if pid == 0:
            run_child(folder)
        _, status = os.waitpid(pid, 0)
        returncode = os.waitstatus_to_exitcode(status)
        with open(os.path.join(folder, "stderr.txt"), errors="replace") as err:
            stderr = err.read()
        protocol.write(json.dumps({"returncode": returncode, "stderr": stderr}) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
