"""Test case results as JUnit XML, the report format CI systems read."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any


def failure_text(result: dict[str, Any]) -> str:
    lines = [a["message"] for a in result.get("assertions", []) if not a["ok"] and a.get("message")]
    failure = result.get("failure") or {}
    if failure.get("message") and failure["message"] not in lines:
        lines.insert(0, failure["message"])
    if result.get("path"):
        lines.append("path: " + " > ".join(result["path"]))
    return "\n".join(lines)


def junit_xml(suites: list[tuple[str, list[dict[str, Any]]]]) -> str:
    """`suites`: (name, results) per flow."""
    root = ET.Element("testsuites")
    total = failed = 0
    for name, results in suites:
        failures = sum(r["status"] != "pass" for r in results)
        seconds = sum(r.get("duration_ms", 0) for r in results) / 1000
        suite = ET.SubElement(
            root,
            "testsuite",
            name=name,
            tests=str(len(results)),
            failures=str(failures),
            errors="0",
            skipped="0",
            time=f"{seconds:.3f}",
        )
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                name=result["name"],
                classname=name,
                time=f"{result.get('duration_ms', 0) / 1000:.3f}",
            )
            if result["status"] != "pass":
                failure = result.get("failure") or {}
                where = failure.get("widget")
                message = failure.get("message") or "failed"
                if where:
                    message += f" (widget {where}, step {failure.get('step')})"
                node = ET.SubElement(case, "failure", message=message, type="AssertionError")
                node.text = failure_text(result)
        total += len(results)
        failed += failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
