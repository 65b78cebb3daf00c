"""Parses Prometheus text exposition (stdin) with the official Python client's parser.

Prints one line per family, "F <type> <name as parsed> <help>", each followed by one line per
series, "S <sample name> <value> <labels as sorted JSON>". Exits 2 with the reason on stderr when the text does not parse, or when it breaks a
rule the lenient parser lets pass: a family announced twice, series of one family not together.
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = sys.stdin.read()
    seen = set()
    out = []
    try:
        for fam in text_string_to_metric_families(text):
            if fam.name in seen:
                raise ValueError("family %s appears twice (its series are not together)" % fam.name)
            seen.add(fam.name)
            out.append("F %s %s %s" % (fam.type, fam.name, fam.documentation.replace("\n", " ")))
            for s in fam.samples:
                out.append("S %s %d %s" % (s.name, s.value, json.dumps(s.labels, sort_keys=True)))
    except ValueError as e:
        print("not valid exposition text: %s" % e, file=sys.stderr)
        sys.exit(2)
    print("\n".join(out))


if __name__ == "__main__":
    main()
