"""Per-endpoint figures of a locust run (its --csv stats file): requests, failures, req/s, p50/p95/p99/max in ms,
and whether each endpoint meets the goal (docs/scaling.md: p95 <= 300 ms at 50 users, no failures).

    python bench/load/report.py /tmp/servicedesk-load/locust_stats.csv [GOAL_MS=300]
    python bench/load/report.py --compare BEFORE_stats.csv AFTER_stats.csv     # two runs (CODE=… run.sh), side by side
"""
import csv
import sys


def main(path, goal=300):
    rows = list(csv.DictReader(open(path, newline="")))
    print(f"{'endpoint':<20}{'requests':>9}{'fail':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}  goal")
    worst = []
    for r in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        n, fail = int(r["Request Count"]), int(r["Failure Count"])
        p95 = float(r["95%"] or 0)
        ok = p95 <= goal and fail == 0
        if not ok and r["Name"] != "Aggregated":
            worst.append(r["Name"])
        print(f"{r['Name'][:19]:<20}{n:>9}{fail:>6}{float(r['Requests/s']):>8.2f}{r['50%']:>7}{r['95%']:>7}{r['99%']:>7}"
              f"{float(r['Max Response Time']):>8.0f}  {'ok' if ok else 'MISSED'}")
    print("every endpoint within the goal" if not worst else "missed the goal: " + ", ".join(worst))
    return 1 if worst else 0


def compare(before_path, after_path):
    before = {r["Name"]: r for r in csv.DictReader(open(before_path, newline=""))}
    after = {r["Name"]: r for r in csv.DictReader(open(after_path, newline=""))}
    print(f"{'endpoint':<20}{'req/s before':>13}{'after':>8}{'p95 before':>12}{'after':>8}{'after/before':>14}")
    for name in sorted(set(before) & set(after), key=lambda n: (n == "Aggregated", n)):
        b, a = before[name], after[name]
        pb, pa = float(b["95%"] or 0), float(a["95%"] or 0)
        ratio = f"{pa / pb:.2f}" if pb else "-"
        print(f"{name[:19]:<20}{float(b['Requests/s']):>13.2f}{float(a['Requests/s']):>8.2f}{pb:>12.0f}{pa:>8.0f}{ratio:>14}")


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300))
