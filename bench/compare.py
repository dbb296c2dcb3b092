#!/usr/bin/env python3
"""Compare the speed of red-moon with lua5.4 on the programs in this folder.

Runs every bench/*.lua (or those named on the command line) with both interpreters, N times
each (default 3), takes the median wall-clock time and the largest peak resident set size,
checks that both printed the same checksum line, and prints a table with the time ratio
red-moon / lua5.4, the peak memory of each and its ratio, and the geometric mean of the time
ratios. It is a measurement, not a test: it always exits with status 0.

Usage:
    python3 bench/compare.py [--runs N] [--red-moon PATH] [--lua PATH] [--timeout S] [name ...]
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
WORKSPACE = os.path.dirname(BENCH_DIR)
DEFAULT_RED_MOON = os.path.join(WORKSPACE, "target", "release", "red-moon")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", "-n", type=int, default=3, help="runs per program and interpreter (default 3)")
    parser.add_argument("--red-moon", default=os.environ.get("RED_MOON_BIN", DEFAULT_RED_MOON),
                        help="red-moon binary (default: target/release/red-moon, or $RED_MOON_BIN)")
    parser.add_argument("--lua", default="lua5.4", help="reference interpreter (default: lua5.4)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is abandoned")
    parser.add_argument("names", nargs="*", help="benchmarks to run, e.g. fib sort (default: all)")
    return parser.parse_args()


def list_benchmarks(names):
    available = sorted(f[:-4] for f in os.listdir(BENCH_DIR) if f.endswith(".lua"))
    if not names:
        return available
    unknown = [n for n in names if n not in available]
    if unknown:
        print("unknown benchmark(s): %s (available: %s)" % (", ".join(unknown), ", ".join(available)))
    return [n for n in names if n in available]


def run_once(interpreter, script, timeout):
    """Runs one program; returns (seconds, peak RSS in KiB or None, checksum line) or
    (None, None, reason)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            child = subprocess.Popen([interpreter, script], cwd=BENCH_DIR,
                                     stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except FileNotFoundError:
            return None, None, "not found: %s" % interpreter
        peak_kib = None
        while True:
            peak_kib = high_water_mark(child.pid) or peak_kib
            pid, status, _ = os.wait4(child.pid, os.WNOHANG)
            if pid == child.pid:
                break
            if time.perf_counter() - started > timeout:
                child.kill()
                os.wait4(child.pid, 0)
                child.returncode = -9
                return None, None, "timed out after %gs" % timeout
            time.sleep(0.001)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        first = stderr.decode("utf-8", "replace").strip().splitlines()
        return None, None, "exit %d: %s" % (child.returncode, first[0] if first else "")
    lines = [l for l in stdout.decode("utf-8", "replace").splitlines() if l.startswith("checksum")]
    return elapsed, peak_kib, (lines[-1] if lines else "<no checksum line>")


def high_water_mark(pid):
    """The process's peak resident set size so far in KiB (Linux /proc), or None.

    Polled while the program runs: wait4's ru_maxrss would be no smaller than this Python
    process, whose memory the child shared before exec."""
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def measure(interpreter, script, runs, timeout):
    """Median time and peak RSS over `runs` runs; (None, None, reason) as soon as one run
    fails."""
    times, peaks, checksum = [], [], None
    for _ in range(runs):
        elapsed, peak, result = run_once(interpreter, script, timeout)
        if elapsed is None:
            return None, None, result
        times.append(elapsed)
        if peak is not None:
            peaks.append(peak)
        checksum = result
    return statistics.median(times), (max(peaks) if peaks else None), checksum


def resolve(program):
    """Programs are run from bench/, so a relative path is made absolute first; a bare name
    is looked up in PATH as usual."""
    return os.path.abspath(program) if os.sep in program else program


def main():
    args = parse_args()
    args.red_moon = resolve(args.red_moon)
    args.lua = resolve(args.lua)
    names = list_benchmarks(args.names)
    print("lua: %s   red-moon: %s   runs: %d (median)" % (args.lua, args.red_moon, args.runs))
    header = "%-16s %10s %10s %8s %9s %9s %8s  %s" % (
        "benchmark", "lua5.4 s", "red-moon s", "ratio", "lua MiB", "rm MiB", "mem", "note")
    print(header)
    print("-" * len(header))
    ratios = []
    for name in names:
        script = name + ".lua"
        lua_time, lua_peak, lua_sum = measure(args.lua, script, args.runs, args.timeout)
        red_time, red_peak, red_sum = measure(args.red_moon, script, args.runs, args.timeout)
        note = ""
        ratio_text = "-"
        if lua_time is None:
            note = "lua5.4 failed: " + lua_sum
        elif red_time is None:
            note = "red-moon failed: " + red_sum
        elif lua_sum != red_sum:
            note = "CHECKSUM MISMATCH: lua5.4 %r, red-moon %r" % (lua_sum, red_sum)
        if lua_time is not None and red_time is not None and lua_time > 0:
            ratio = red_time / lua_time
            ratio_text = "%.2f" % ratio
            if not note:
                ratios.append(ratio)
        mib = lambda kib: "%.1f" % (kib / 1024.0) if kib else "-"
        memory_ratio = "%.2f" % (red_peak / lua_peak) if lua_peak and red_peak else "-"
        print("%-16s %10s %10s %8s %9s %9s %8s  %s" % (
            name,
            "%.3f" % lua_time if lua_time is not None else "-",
            "%.3f" % red_time if red_time is not None else "-",
            ratio_text,
            mib(lua_peak),
            mib(red_peak),
            memory_ratio,
            note))
        sys.stdout.flush()
    print("-" * len(header))
    if ratios:
        geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print("geometric mean of ratios (red-moon / lua5.4) over %d benchmarks: %.2f" % (len(ratios), geomean))
    else:
        print("geometric mean: no benchmark ran successfully on both interpreters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
