"""Lighthouse 12 (mobile) on some pages, installed with npm into BENCH_LIGHTHOUSE_DIR on first use."""

import json
import os
import shutil
import subprocess
from pathlib import Path

from .config import (
    CHROMIUM,
    LH_BIN,
    LH_CHROME_FLAGS,
    LH_DIR,
    LIGHTHOUSE_PAGES,
    PAGES,
    RESULTS_DIR,
    SKIP_LIGHTHOUSE,
    log,
)


def lighthouse_binary() -> tuple[Path | None, str | None]:
    if SKIP_LIGHTHOUSE:
        return None, "BENCH_SKIP_LIGHTHOUSE is set"
    if not LH_BIN.exists():
        if not shutil.which("npm"):
            return None, "npm not found"
        log(f"installing lighthouse@12 into {LH_DIR} (about 20 s, once)")
        done = subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(LH_DIR),
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "lighthouse@12",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not LH_BIN.exists():
            return None, f"npm install failed: {done.stderr[-500:]}"
    return LH_BIN, None


def short_details(audit: dict, limit: int = 8) -> list:
    items = (audit.get("details") or {}).get("items") or []
    out = []
    for item in items[:limit]:
        flat = {}
        for key, value in item.items():
            if isinstance(value, dict):  # nodes: keep what identifies them
                value = {k: value[k] for k in ("selector", "snippet", "nodeLabel", "explanation", "url") if k in value}
            elif isinstance(value, list):
                value = value[:3]
            flat[key] = value
        out.append(flat)
    return out


def run_lighthouse(binary: Path, url: str, out_path: Path) -> dict:
    command = [
        str(binary),
        url,
        "--quiet",
        f"--chrome-flags={LH_CHROME_FLAGS}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--output=json",
        f"--output-path={out_path}",
    ]
    done = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=150
    )
    if done.returncode != 0 or not out_path.exists():
        raise RuntimeError(f"lighthouse failed ({done.returncode}): {done.stderr[-1000:]}")
    report = json.loads(out_path.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error: {report['runtimeError']}")
    scores, failing = {}, []
    for category_id, category in report["categories"].items():
        score = category.get("score")
        scores[category_id] = None if score is None else round(score * 100)
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            mode = audit.get("scoreDisplayMode")
            if mode in ("notApplicable", "informative", "manual") or audit.get("score") is None:
                continue
            if audit["score"] < 1 and (ref.get("weight", 0) > 0 or category_id != "performance"):
                failing.append(
                    {
                        "category": category_id,
                        "id": ref["id"],
                        "title": audit.get("title"),
                        "score": audit["score"],
                        "weight": ref.get("weight"),
                        "displayValue": audit.get("displayValue"),
                        "details": short_details(audit),
                    }
                )
    metrics = {
        m: report["audits"][m].get("displayValue")
        for m in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
            "speed-index",
        )
        if m in report["audits"]
    }
    return {
        "scores": scores,
        "failing_audits": failing,
        "metrics": metrics,
        "form_factor": report.get("configSettings", {}).get("formFactor"),
        "lighthouse_version": report.get("lighthouseVersion"),
        "report": str(out_path),
    }


def lighthouse_all(base: str) -> dict:
    """Each of LIGHTHOUSE_PAGES on the server at `base`, or {"skipped": why}."""
    binary, why_not = lighthouse_binary()
    lighthouse = {}
    if binary is None:
        lighthouse["skipped"] = why_not
        log(f"lighthouse skipped: {why_not}")
        return lighthouse
    for name in LIGHTHOUSE_PAGES:
        log(f"lighthouse on {name}")
        out = RESULTS_DIR / f"lighthouse-{name}.json"
        for attempt in (1, 2):  # Lighthouse now and then fails to record a trace (NO_NAVSTART): retry once
            try:
                lighthouse[name] = run_lighthouse(binary, base + PAGES[name], out)
                lighthouse[name]["attempts"] = attempt
                break
            except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
                lighthouse[name] = {"error": str(error)[-1500:], "attempts": attempt}
                log(f"lighthouse on {name} failed (attempt {attempt}): {str(error)[-300:]}")
    return lighthouse
