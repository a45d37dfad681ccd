#!/usr/bin/env python3
# perfdata.py - check Nagios status lines on stdin against the plugin
# guidelines: "'label'=value[UOM];[warn];[crit];[min];[max]", every value
# within min..max (max may be left out), thresholds within them and the
# warning no higher than the critical one. Prints each fault; exit 1 if any.
import re
import sys

ITEM = re.compile(r"('(?:[^']|'')+'|[^' =]+)=(\S+)")

faults = 0
for line in sys.stdin:
    if "|" not in line:
        continue
    perf = line.split("|", 1)[1].strip()
    for label, data in ITEM.findall(perf):
        parts = data.split(";")
        value = float(re.match(r"-?[0-9.]+", parts[0]).group(0))
        parts += [""] * (5 - len(parts))
        num = [float(p) if p != "" else None for p in parts[1:5]]
        warn, crit, lo, hi = num

        def bad(why):
            global faults
            faults += 1
            print(f"{label}={data}: {why}")
        if lo is not None and value < lo:
            bad("value below min")
        if hi is not None and value > hi:
            bad("value above max")
        for name, t in (("warning", warn), ("critical", crit)):
            if t is not None and hi is not None and t > hi:
                bad(f"{name} threshold above max")
            if t is not None and lo is not None and t < lo:
                bad(f"{name} threshold below min")
        if warn is not None and crit is not None and warn > crit:
            bad("warning above critical")
sys.exit(1 if faults else 0)
