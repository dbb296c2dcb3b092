#!/usr/bin/env python3
"""Compare the speed of red-moon with lua5.4 on the programs in this folder.

Runs every bench/*.lua (or those named on the command line) with both interpreters, N times
each (default 3), takes the median wall-clock time, checks that both printed the same
checksum line, and prints a table with the ratio red-moon / lua5.4 and the geometric mean of
the ratios. It is a measurement, not a test: it always exits with status 0.

Usage:
    python3 bench/compare.py [--runs N] [--red-moon PATH] [--lua PATH] [--timeout S] [name ...]
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
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
    """Runs one program; returns (seconds, checksum line) or (None, reason)."""
    started = time.perf_counter()
    try:
        done = subprocess.run([interpreter, script], cwd=BENCH_DIR, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=timeout)
    except FileNotFoundError:
        return None, "not found: %s" % interpreter
    except subprocess.TimeoutExpired:
        return None, "timed out after %gs" % timeout
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        first = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, "exit %d: %s" % (done.returncode, first[0] if first else "")
    lines = [l for l in done.stdout.decode("utf-8", "replace").splitlines() if l.startswith("checksum")]
    return elapsed, (lines[-1] if lines else "<no checksum line>")


def measure(interpreter, script, runs, timeout):
    """Median time over `runs` runs; (None, reason) as soon as one run fails."""
    times, checksum = [], None
    for _ in range(runs):
        elapsed, result = run_once(interpreter, script, timeout)
        if elapsed is None:
            return None, result
        times.append(elapsed)
        checksum = result
    return statistics.median(times), checksum


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
    header = "%-16s %10s %10s %8s  %s" % ("benchmark", "lua5.4 s", "red-moon s", "ratio", "note")
    print(header)
    print("-" * len(header))
    ratios = []
    for name in names:
        script = name + ".lua"
        lua_time, lua_sum = measure(args.lua, script, args.runs, args.timeout)
        red_time, red_sum = measure(args.red_moon, script, args.runs, args.timeout)
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
        print("%-16s %10s %10s %8s  %s" % (
            name,
            "%.3f" % lua_time if lua_time is not None else "-",
            "%.3f" % red_time if red_time is not None else "-",
            ratio_text,
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
