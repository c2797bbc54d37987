#!/usr/bin/python3
"""The Grafana dashboard (deploy/k8s/grafana-dashboard.json) asks only for
metrics the server exports: every PromQL expression of every panel is parsed,
its metric names taken out (a histogram's _bucket/_sum/_count series count as
the histogram) and checked against deploy/metrics.txt, the list of exported
metric names that the server's own test checks /metrics against. Every
exported metric has a panel, and the label names the queries use exist."""
import json
import re
import unittest

from deploylib import ROOT

DASHBOARD = ROOT / "deploy" / "k8s" / "grafana-dashboard.json"
EXPORTED = [line.strip() for line in (ROOT / "deploy" / "metrics.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
# Labels the server puts on its metrics, plus Prometheus' own (le of
# histograms) and the target labels of the scrape job (deploy/README.md).
LABELS = {"route", "method", "status_class", "state", "le", "namespace", "pod", "instance", "job"}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset", "inf", "nan"}
AGGREGATIONS_WITH_GROUPING = r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)"


def expressions(dashboard):
    """(panel title, expr) of every query of every panel, rows included."""
    def walk(panels):
        for panel in panels:
            for target in panel.get("targets", []):
                if target.get("expr"):
                    yield panel.get("title", "?"), target["expr"]
            yield from walk(panel.get("panels", []))
    return list(walk(dashboard["panels"]))


def parse(expr):
    """(metric names, label names) of a PromQL expression."""
    text = re.sub(r"\$__\w+|\$\{?\w+\}?", "X", expr)            # Grafana variables
    labels = set()
    for m in re.finditer(r"\{([^}]*)\}", text):                   # label matchers
        labels |= set(re.findall(r"([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)", m.group(1)))
    text = re.sub(r'"(?:[^"\\]|\\.)*"', " ", text)                # strings
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)                       # range selectors
    for m in re.finditer(AGGREGATIONS_WITH_GROUPING, text):       # by (...), on (...)
        labels |= set(re.findall(r"[A-Za-z_]\w*", m.group(2)))
    text = re.sub(AGGREGATIONS_WITH_GROUPING, " ", text)
    names = set()
    for m in re.finditer(r"(?<![\w.:])([A-Za-z_:][\w:]*)(\s*\()?", text):  # not inside 5m, 1e3
        word, call = m.group(1), m.group(2)
        if call or word.lower() in KEYWORDS or word == "X":
            continue                                                # a function, a keyword
        names.add(word)
    return names, labels


def exported_name(name, exported):
    if name in exported:
        return name
    for suffix in HISTOGRAM_SUFFIXES:
        if name.endswith(suffix) and name[: -len(suffix)] in exported:
            return name[: -len(suffix)]
    return None


class Parser(unittest.TestCase):
    def test_parses_promql(self):
        names, labels = parse('histogram_quantile(0.95, sum by (le, route) '
                              '(rate(a_seconds_bucket{namespace=~"$namespace", x="5xx"}[$__rate_interval])))'
                              ' / on (pod) group_left b_total offset 5m > bool 1')
        self.assertEqual(names, {"a_seconds_bucket", "b_total"})
        self.assertEqual(labels, {"le", "route", "namespace", "x", "pod"})
        self.assertEqual(exported_name("a_seconds_bucket", {"a_seconds"}), "a_seconds")
        self.assertIsNone(exported_name("a_total_bucket", {"a_seconds"}))


class Dashboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dashboard = json.loads(DASHBOARD.read_text())
        cls.exprs = expressions(cls.dashboard)

    def test_metrics_list(self):
        self.assertEqual(len(EXPORTED), len(set(EXPORTED)), "deploy/metrics.txt lists a name twice")
        for name in EXPORTED:
            self.assertRegex(name, r"^bookstore_[a-z_]+$")

    def test_every_query_names_exported_metrics(self):
        self.assertGreaterEqual(len(self.exprs), len(EXPORTED))
        for title, expr in self.exprs:
            names, labels = parse(expr)
            self.assertTrue(names, f"{title}: no metric in {expr}")
            for name in names:
                self.assertIsNotNone(exported_name(name, EXPORTED),
                                     f"{title}: {name} is not in deploy/metrics.txt ({expr})")
            self.assertLessEqual(labels, LABELS, f"{title}: unknown labels in {expr}")
            self.assertEqual(expr.count("("), expr.count(")"), expr)

    def test_every_exported_metric_has_a_panel(self):
        used = {exported_name(n, EXPORTED) for _, e in self.exprs for n in parse(e)[0]}
        self.assertEqual(used, set(EXPORTED))
        # histograms are read through their buckets
        self.assertTrue(any("bookstore_http_request_duration_seconds_bucket" in e and "histogram_quantile" in e
                            for _, e in self.exprs))

    def test_dashboard_shape(self):
        d = self.dashboard
        self.assertEqual(d["uid"], "bookstore")
        ids = [p["id"] for p in d["panels"]]
        self.assertEqual(len(ids), len(set(ids)))
        variables = {v["name"] for v in d["templating"]["list"]}
        self.assertIn("datasource", variables)
        for panel in d["panels"]:
            self.assertEqual(panel["datasource"], {"type": "prometheus", "uid": "${datasource}"})


if __name__ == "__main__":
    unittest.main(verbosity=2)
