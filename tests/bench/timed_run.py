"""One timed run for the benchmarks: timed_run.py IN OUT ERR ARGV...

Spawns ARGV with stdin IN, stdout OUT (truncated), stderr ERR (appended) and prints
"wall_s peak_KiB exit_code" from wait4 on the child (peak = ru_maxrss, what GNU time's
%M reads), to the microsecond.
"""
import os
import sys
import time

ins, out, err, *argv = sys.argv[1:]
fds = [os.open(ins, os.O_RDONLY), os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
       os.open(err, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)]
acts = [(os.POSIX_SPAWN_DUP2, fd, n) for n, fd in enumerate(fds)]
t = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=acts)
_, status, ru = os.wait4(pid, 0)
print(f"{time.perf_counter() - t:.6f} {ru.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
