"""Keep freed memory inside the process (glibc's malloc), for NumPy and TensorFlow alike.

glibc hands every block above its mmap threshold back to the operating system when it is freed, so the next
call that needs as much memory faults its pages in again, one 4 KiB page at a time. NumPy allocates its arrays
with malloc, so a primitive that returns or makes a few megabytes pays those faults on every call. On the
sandboxed VMs this project is built on, a page fault costs a few microseconds: a 3x3 convolution forward pass on
(32, 28, 28, 32) made 1,382 faults per call and took 7.1 ms, and 5.3 ms with freed memory kept (an earlier LSTM
made 2,452 and took 21 ms instead of 11). That is the VM's memory management, not the arithmetic being
compared, and it is not what a reader's machine does; so the benchmarks raise both
thresholds (as a memory allocator such as tcmalloc or jemalloc, which TensorFlow recommends, would behave) for the
whole process, and say so in their results. ``--system-malloc`` measures with glibc's defaults instead.
"""

import ctypes

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt parameters, from glibc's <malloc.h>
MMAP_THRESHOLD_MAX = 32 << 20  # the largest value glibc accepts on 64-bit systems


def keep_freed_memory():
    """Raise glibc's mmap and trim thresholds; return a line for the results, saying what was done."""
    try:
        libc = ctypes.CDLL(None)
        done = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX) == 1 and libc.mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to change
        done = False
    if not done:
        return "Allocator: the system's default (glibc's mallopt unavailable)"
    return ("Allocator: glibc malloc keeps freed blocks up to 32 MiB in the process (mallopt M_MMAP_THRESHOLD "
            "32 MiB, M_TRIM_THRESHOLD 1 GiB), for NumPy and TensorFlow alike; see `benchmarks/allocator.py`")
