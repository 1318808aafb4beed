"""Benchmark of the bounded workbook reader against a hostile upload (servicedesk/spreadsheets.py).

    .venv/bin/python bench/import_limits.py                      # 3.4 million tiny shared strings, as the probe's file
    .venv/bin/python bench/import_limits.py --strings 1000000 --openpyxl-strings 300000

In the same run:

  legit      the bounded reader on an ordinary 2 000-row, 5-column workbook (read to the end): the yardstick
  refuse     the bounded reader on the hostile file (a few MB on disk): refused at IMPORT_MAX_SHARED_STRINGS
  openpyxl   openpyxl alone (read-only) loading a hostile file of --openpyxl-strings strings, what the import did
             before the limit (the probe's 3.4 million took 110 s and 550 MB in one request)

Prints seconds and each step's ratio to `legit` (this machine is shared and noisy: compare ratios, not seconds).
Decision it supports: a hostile upload is refused in a fraction of an ordinary import, inside the request.
"""
import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--strings", type=int, default=3_400_000)
    parser.add_argument("--openpyxl-strings", type=int, default=340_000)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    import django

    django.setup()
    from django.conf import settings
    from openpyxl import load_workbook

    from servicedesk.spreadsheets import Limits, SpreadsheetRefused, Workbook
    from tests import hostile_xlsx

    limits = Limits.of(unpacked_bytes=300 * 1024 * 1024)
    legit = hostile_xlsx.plain([["名称", "地址", "电话", "型号", "序列号"]]
                               + [[f"客户{i}", f"深南大道 {i} 号", f"139{i:08d}", "HP 1020", f"SN{i}"] for i in range(2000)])
    hostile = hostile_xlsx.with_shared_strings([["名称"], ["甲"]], args.strings)
    smaller = hostile_xlsx.with_shared_strings([["名称"], ["甲"]], args.openpyxl_strings)
    print(f"hostile file: {len(hostile) / 1048576:.1f} MB on disk, {args.strings:,} shared strings; "
          f"limit IMPORT_MAX_SHARED_STRINGS={settings.IMPORT_MAX_SHARED_STRINGS:,}")

    def legit_read():
        with Workbook(hostile_xlsx.upload(legit), limits, data_only=True) as book:
            sheet = book.first_sheet()
            sheet.header()
            return sum(1 for _ in sheet.data_rows())

    def refuse():
        try:
            Workbook(hostile_xlsx.upload(hostile), limits, data_only=True)
        except SpreadsheetRefused as exc:
            return str(exc.message)
        raise SystemExit("the hostile file was not refused")

    def plain_openpyxl():
        wb = load_workbook(io.BytesIO(smaller), read_only=True)
        rows = list(wb.worksheets[0].values)
        wb.close()
        return len(rows)

    results = {}
    for name, fn in (("legit", legit_read), ("refuse", refuse), ("openpyxl", plain_openpyxl)):
        start = time.perf_counter()
        out = fn()
        results[name] = time.perf_counter() - start
        print(f"{name:9s} {results[name]:8.3f} s  ratio to legit {results[name] / results['legit']:6.2f}  ({str(out)[:70]})")
    per_string = results["openpyxl"] / args.openpyxl_strings
    print(f"openpyxl extrapolated to {args.strings:,} strings: ~{per_string * args.strings:.0f} s, "
          f"{per_string * args.strings / results['refuse']:.0f} × the refusal")


if __name__ == "__main__":
    main()
