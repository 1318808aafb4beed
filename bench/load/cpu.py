"""CPU seconds per process group during a load run (user + system, children that exited included), from /proc.

    python bench/load/cpu.py snapshot before.json      # before the load starts
    python bench/load/cpu.py snapshot after.json       # after it ends
    python bench/load/cpu.py diff before.json after.json SECONDS

A PostgreSQL backend that closes (a connection per request) is counted through the postmaster's reaped-children
time, so opening connections is not lost from the figure.
"""
import json
import sys

import psutil

GROUPS = (  # the first pattern found in a process's command line names its group
    ("gunicorn", "gunicorn (web)"),
    ("celery -A servicedesk worker", "celery worker"),
    ("worker --loglevel", "celery worker"),
    ("celery -A servicedesk beat", "celery beat"),
    ("beat --loglevel", "celery beat"),
    ("redis-server", "redis"),
    ("postgres", "postgresql"),
)


def group_of(proc):
    try:
        cmd = " ".join(proc.cmdline()) or proc.name()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    for pattern, name in GROUPS:
        if pattern in cmd:
            return name
    return None


def snapshot():
    """{group: {pid: cpu seconds}}, and {pid: a label} under the key "_labels" for the web and Celery processes."""
    seconds, labels = {}, {}
    for proc in psutil.process_iter():
        name = group_of(proc)
        if name is None:
            continue
        try:
            t = proc.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        seconds.setdefault(name, {})[str(proc.pid)] = t.user + t.system + t.children_user + t.children_system
        if name != "postgresql":
            try:
                parent = group_of(proc.parent()) if proc.parent() else None
            except psutil.NoSuchProcess:
                parent = None
            labels[str(proc.pid)] = f"{'child' if parent == name else 'main'} {proc.pid}"
    seconds["_labels"] = labels
    return seconds


def diff(before, after, wall):
    print(f"{'process group':<26}{'CPU s':>9}{'cores':>8}")
    total = 0.0
    labels = after.pop("_labels", {})
    before.pop("_labels", None)
    for name in sorted(after):
        per_pid = {pid: v - before.get(name, {}).get(pid, 0.0) for pid, v in after[name].items()}
        used = sum(per_pid.values())
        total += used
        print(f"{name:<26}{used:>9.1f}{used / wall:>8.2f}")
        if name != "postgresql" and len(per_pid) > 1:  # each gunicorn worker, the Celery pool child …
            for pid, v in sorted(per_pid.items(), key=lambda kv: labels.get(kv[0], kv[0])):
                print(f"  {labels.get(pid, pid):<24}{v:>9.1f}{v / wall:>8.2f}")
    print(f"{'all':<26}{total:>9.1f}{total / wall:>8.2f}   of {psutil.cpu_count()} cores over {wall:.0f} s")


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        json.dump(snapshot(), open(sys.argv[2], "w"))
    else:
        diff(json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), float(sys.argv[4]))
